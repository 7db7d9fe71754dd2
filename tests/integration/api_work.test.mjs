// api_work.test.mjs — the work queues over HTTP: capturistas asking at once
// never get the same acta; a held acta refuses the others' work (409) and is
// freed by the holder's capture, by liberar or by the lease expiring; an
// acta is never offered again to someone who already captured it; a CATD
// operator only gets the actas of its CATD.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, casillas, qrPng, sha256, valores } from './lib/server.mjs';

const C = casillas();
const N = 12;
const CAPS = Array.from({ length: 16 }, (_, i) => `cap${String(i + 1).padStart(2, '0')}`);
const mine = C.filter((c) => c.catd === 1).slice(0, N);
const other = C.find((c) => c.catd === 2);
let srv;
before(async () => {
  srv = await startServer({
    users: [...CAPS.map((name) => ({ name, role: 'captura' })), { name: 'dig', role: 'digitalizacion' },
      { name: 'cap-c2', role: 'captura', catd: 2 }, { name: 'aud', role: 'auditor' }],
    args: ['--lease-seconds', '2'],
  });
  for (const u of [...CAPS, 'dig', 'cap-c2', 'aud']) await srv.login(u);
  for (const [e, c] of [...mine.map((m) => ['DIP_LOC', m]), ['ALC', other]]) {
    const png = await qrPng(c.clave);
    const r = await srv.req('POST', srv.acta(e, c.clave) + '/imagenes', {
      token: await srv.as('dig'), body: png,
      headers: { 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(png), 'X-Origen': 'CATD' },
    });
    assert.equal(r.status, 201);
  }
});
after(async () => { await srv.stop(); });

const next = async (u, json = { eleccion: 'DIP_LOC' }) => srv.req('POST', '/api/v1/trabajo/captura/siguiente', { token: await srv.as(u), json });
const capture = async (u, clave, base = 1) => {
  const acta = (await srv.req('GET', srv.acta('DIP_LOC', clave), { token: await srv.as(u) })).body;
  return srv.req('POST', srv.acta('DIP_LOC', clave) + '/capturas', { token: await srv.as(u), json: { valores: valores(acta, base) } });
};

test('16 capturistas asking at once get distinct actas; the rest get 204', async () => {
  const got = await Promise.all(CAPS.map((u) => next(u)));
  const leased = got.filter((r) => r.status === 200).map((r) => r.body.clave);
  assert.equal(leased.length, N, 'every acta waiting in DIP_LOC is leased');
  assert.equal(new Set(leased).size, N, 'no acta was given twice');
  assert.deepEqual([...leased].sort(), mine.map((c) => c.clave).sort());
  assert.equal(got.filter((r) => r.status === 204).length, CAPS.length - N);
  for (const r of got.filter((x) => x.status === 200)) assert.match(r.body.expira, /-06:00$/);
});

test('a held acta refuses the others; the holder captures and it moves on; never to the same capturista', async () => {
  // Leases from the first test are still live (2 s).
  const held = await next('cap01');
  assert.equal(held.status, 200, 'asking again gives the acta already held');
  const clave = held.body.clave;
  const intruder = CAPS.find((u) => u !== 'cap01');
  const r = await capture(intruder, clave);
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'conflict');
  assert.match(r.body.error.message, /another operator holds this acta/);
  const mineCap = await capture('cap01', clave);
  assert.equal(mineCap.status, 200);
  assert.equal(mineCap.body.acta.estado, 'CAPTURADA');
  // Released by the capture: after every other lease ends, cap01 is not offered it again, someone else is.
  await new Promise((res) => setTimeout(res, 2200));
  const again = await next('cap01');
  assert.ok(again.status === 204 || again.body.clave !== clave, 'cap01 already captured it');
  if (again.status === 200) await srv.req('POST', '/api/v1/trabajo/captura/liberar', { token: await srv.as('cap01'), json: { eleccion: 'DIP_LOC', clave: again.body.clave } });
  const seen = [];
  for (const u of CAPS.slice(1)) {
    const w = await next(u);
    if (w.status === 200) seen.push(w.body.clave);
  }
  assert.ok(seen.includes(clave), 'the second capture of it is offered to another capturista');
});

test('an expired lease frees the acta; liberar frees it at once', async () => {
  await new Promise((res) => setTimeout(res, 2200));
  const a = await next('cap02');
  assert.equal(a.status, 200);
  const b = await next('cap03');
  assert.notEqual(b.body?.clave, a.body.clave);
  await new Promise((res) => setTimeout(res, 2200));
  // cap02's lease expired: its acta goes to whoever asks first (oldest first).
  const all = [];
  for (const u of ['cap04', 'cap05', 'cap06', 'cap07', 'cap08', 'cap09', 'cap10', 'cap11', 'cap12', 'cap13', 'cap14', 'cap15', 'cap16'])
    all.push((await next(u)).body?.clave);
  assert.ok(all.includes(a.body.clave), 'the expired lease was given to someone else');
  const holder = ['cap04', 'cap05', 'cap06', 'cap07', 'cap08', 'cap09', 'cap10', 'cap11', 'cap12', 'cap13', 'cap14', 'cap15', 'cap16'][all.indexOf(a.body.clave)];
  const lib = await srv.req('POST', '/api/v1/trabajo/captura/liberar', { token: await srv.as(holder), json: { eleccion: 'DIP_LOC', clave: a.body.clave } });
  assert.equal(lib.status, 200);
  const c = await next('cap02');
  assert.equal(c.body.clave, a.body.clave, 'released: the next one asking gets it');
});

test('a CATD operator is only offered the actas of its CATD', async () => {
  const r = await next('cap-c2', {});
  assert.equal(r.status, 200);
  assert.equal(r.body.clave, other.clave);
  assert.equal(r.body.eleccion, 'ALC');
  assert.equal(r.body.acta.catd, 2);
  const none = await next('cap-c2', {});
  assert.equal(none.body.clave, other.clave, 'the same one again, never one of CATD 1');
  // Unknown queue and election.
  const bad = await srv.req('POST', '/api/v1/trabajo/conteo/siguiente', { token: await srv.as('cap-c2'), json: {} });
  assert.equal(bad.status, 404);
  const badE = await next('cap-c2', { eleccion: 'XX' });
  assert.equal(badE.status, 404, String(badE.raw));
  assert.match(badE.body.error.message, /unknown election 'XX'/);
  // A name cut in the middle of a character still gets its 404 (not a 503).
  const cut = await next('cap-c2', { eleccion: 'a' + 'é'.repeat(20) });
  assert.equal(cut.status, 404, String(cut.raw));
  const wrong = await srv.req('POST', '/api/v1/trabajo/verificacion/siguiente', { token: await srv.as('cap-c2'), json: {} });
  assert.equal(wrong.status, 403);
});
