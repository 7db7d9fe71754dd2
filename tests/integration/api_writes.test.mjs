// api_writes.test.mjs — every write of the API is safe to retry and durable
// before its reply: naturally idempotent writes (acopio, sin acta, the same
// image, acepta, cotejo, fuera de catálogo, leases) repeat as no-ops;
// the others replay their stored reply under the same Idempotency-Key
// (captures, resolutions, rejections, corregida), and a key reused for a
// different request is refused. Cotejo after publication: aceptada,
// en corrección, corregida (new values, in the bitácora and the next corte).
// Acknowledged writes survive kill -9 of the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, casillas, qrPng, sha256, valores, prep } from './lib/server.mjs';

let srv;
const C = casillas();
const USERS = [
  { name: 'aco', role: 'acopio' }, { name: 'dig', role: 'digitalizacion' },
  { name: 'cap1', role: 'captura' }, { name: 'cap2', role: 'captura' }, { name: 'cap3', role: 'captura' },
  { name: 'ver', role: 'verificacion' }, { name: 'cot', role: 'cotejo' }, { name: 'aud', role: 'auditor' },
  { name: 'adm', role: 'admin' },
];
before(async () => {
  srv = await startServer({ users: USERS });
  for (const u of USERS) await srv.login(u.name);
});
after(async () => { await srv.stop(); });

const logLen = () => srv.logShow().trim().split('\n').length;
async function post(user, path, json, headers) {
  return srv.req('POST', path, { token: await srv.as(user), json, headers });
}
async function upload(user, clave, png) {
  return srv.req('POST', srv.acta('GUB', clave) + '/imagenes', {
    token: await srv.as(user), body: png,
    headers: { 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(png), 'X-Origen': 'CATD' },
  });
}
async function read(clave, user = 'aud') {
  return (await srv.req('GET', srv.acta('GUB', clave), { token: await srv.as(user) })).body;
}
// The same request twice: the second changes nothing and (given) replays the first.
async function twice(doIt, { sameReply = true, noop = false } = {}) {
  const r1 = await doIt();
  assert.ok(r1.status < 300, `${r1.status} ${r1.raw}`);
  const n = logLen();
  const r2 = await doIt();
  assert.ok(r2.status < 300, `retry: ${r2.status} ${r2.raw}`);
  assert.equal(logLen(), n, 'the retry wrote nothing to the bitácora');
  if (sameReply) assert.deepEqual(r2.body, r1.body, 'the retry gets the first reply');
  if (noop) assert.equal(r2.body.noop, true);
  return r1;
}
let seq = 0;
const key = () => ({ 'Idempotency-Key': `prueba-${process.pid}-${++seq}` });

// Bring an acta to POR_VERIFICAR or DISCREPANCIA with two captures.
async function captured(clave, second = 0) {
  const p = srv.acta('GUB', clave);
  const png = await qrPng(clave);
  assert.equal((await upload('dig', clave, png)).status, 201);
  const vals = valores(await read(clave, 'cap1'), 5);
  const other = [...vals];
  other[0] = vals[0] + second;
  assert.equal((await post('cap1', p + '/capturas', { valores: vals }, key())).status, 200);
  assert.equal((await post('cap2', p + '/capturas', { valores: other }, key())).status, 200);
  return { p, vals, png };
}

test('naturally idempotent writes repeat as no-ops', async () => {
  const clave = C[20].clave, p = srv.acta('GUB', clave);
  await twice(() => post('aco', p + '/acopio'), { sameReply: false, noop: true });
  const png = await qrPng(clave);
  const img = await twice(() => upload('dig', clave, png), { sameReply: false, noop: true });
  assert.equal(img.status, 201);
  await twice(() => post('aco', srv.acta('GUB', C[21].clave) + '/sin-acta', { motivo: 'casilla_no_instalada' }), { sameReply: false, noop: true });
  const fc = await twice(() => post('aco', '/api/v1/elecciones/GUB/fuera-catalogo', { identificacion: '099998B0100' }), { sameReply: false, noop: true });
  assert.equal(fc.status, 201);
  const v = await captured(C[22].clave);
  await twice(() => post('ver', v.p + '/verificacion', { resultado: 'acepta' }), { sameReply: false, noop: true });
  // Asking for work again gives the acta already held.
  await upload('dig', C[23].clave, await qrPng(C[23].clave));
  const w1 = await post('cap3', '/api/v1/trabajo/captura/siguiente', {});
  const w2 = await post('cap3', '/api/v1/trabajo/captura/siguiente', {});
  assert.equal(w1.status, 200);
  assert.equal(w2.body.clave, w1.body.clave);
  const lib = { eleccion: 'GUB', clave: w1.body.clave };
  assert.equal((await post('cap3', '/api/v1/trabajo/captura/liberar', lib)).status, 200);
  assert.equal((await post('cap3', '/api/v1/trabajo/captura/liberar', lib)).status, 200);
  assert.equal(srv.logVerify().code, 0);
});

test('the other writes replay their stored reply under the same Idempotency-Key', async () => {
  // A capture resent: the same reply, one capture (without a key it would be "the same capturista twice").
  const clave = C[30].clave, p = srv.acta('GUB', clave);
  await upload('dig', clave, await qrPng(clave));
  const vals = valores(await read(clave, 'cap1'), 3);
  const k = key();
  const r = await twice(() => post('cap1', p + '/capturas', { valores: vals }, k));
  assert.equal(r.body.acta.estado, 'CAPTURADA');
  assert.equal((await read(clave)).capturas.length, 1);
  const dup = await post('cap1', p + '/capturas', { valores: vals });
  assert.equal(dup.status, 409, 'a new request (no key) by the same capturista is refused');
  // The key belongs to its user and its exact request.
  const other = [...vals]; other[0] += 1;
  const reuse = await post('cap1', p + '/capturas', { valores: other }, k);
  assert.equal(reuse.status, 409);
  assert.match(reuse.body.error.message, /Idempotency-Key/);
  const r2 = await post('cap2', p + '/capturas', { valores: other }, k);
  assert.equal(r2.status, 200, 'another user may use the same key text');
  assert.equal(r2.body.acta.estado, 'DISCREPANCIA');
  // Resolving the discrepancy, resent.
  const res = await twice(() => post('ver', p + '/verificacion', { resultado: 'resuelve', elegida: 1 }, k));
  assert.equal(res.body.acta.estado, 'POR_VERIFICAR');
  // Rejecting the capture, resent; then rejecting the image, resent.
  const k2 = key();
  const rc = await twice(() => post('ver', p + '/verificacion', { resultado: 'rechaza_captura' }, k2));
  assert.equal(rc.body.acta.estado, 'DIGITALIZADA');
  const c2 = await captured(C[31].clave, 1);
  assert.equal((await read(C[31].clave)).estado, 'DISCREPANCIA');
  const k3 = key();
  const ri = await twice(() => post('ver', c2.p + '/verificacion', { resultado: 'rechaza_imagen' }, k3));
  assert.equal(ri.body.acta.estado, 'ESPERADA');
  assert.equal(srv.logVerify().code, 0);
});

// The Anexo 18.5 database of the latest corte: acta column names and rows.
function latestCsv(eleccion) {
  const dir = join(srv.data, 'cortes', 'latest', 'datos', eleccion);
  const f = readdirSync(dir).find((n) => new RegExp(`_${eleccion}_\\d{4}\\.csv$`).test(n));
  const split = (l) => [...l.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1]);
  const lines = readFileSync(join(dir, f), 'utf8').split(/\r?\n/); // IECM form: LF
  const at = lines.findIndex((l) => l.startsWith('CLAVE_CASILLA,'));
  return { head: split(lines[at]), rows: lines.slice(at + 1).filter(Boolean).map(split) };
}

test('cotejo after publication: aceptada, en corrección, corregida', async () => {
  const acc = await captured(C[40].clave), fix = await captured(C[41].clave), later = await captured(C[42].clave);
  for (const a of [acc, fix, later]) assert.equal((await post('ver', a.p + '/verificacion', { resultado: 'acepta' })).status, 200);
  // Not before publication.
  let r = await post('cot', acc.p + '/cotejo', { resultado: 'aceptada' });
  assert.equal(r.status, 409);
  assert.equal((await post('adm', '/api/v1/cortes', {})).status, 201);
  assert.equal((await read(C[40].clave)).estado, 'PUBLICADA');
  // The cotejo queue offers published actas.
  r = await post('cot', '/api/v1/trabajo/cotejo/siguiente', { eleccion: 'GUB' });
  assert.equal(r.status, 200);
  assert.equal(r.body.acta.estado, 'PUBLICADA');
  await post('cot', '/api/v1/trabajo/cotejo/liberar', { eleccion: 'GUB', clave: r.body.clave });
  // aceptada, retried.
  r = await twice(() => post('cot', acc.p + '/cotejo', { resultado: 'aceptada' }), { sameReply: false, noop: true });
  assert.equal(r.body.acta.cotejo, 'aceptada');
  // en corrección, then corregida with new values.
  r = await post('cot', fix.p + '/cotejo', { resultado: 'en_correccion' });
  assert.equal(r.status, 200);
  assert.equal(r.body.acta.cotejo, 'en_correccion');
  const nuevos = [...fix.vals];
  nuevos[0] += 7;
  const k4 = key();
  r = await twice(() => post('cot', fix.p + '/cotejo', { resultado: 'corregida', valores: nuevos }, k4));
  assert.equal(r.body.acta.cotejo, 'corregida');
  const after = await read(C[41].clave);
  assert.deepEqual(after.valores, nuevos, 'the corrected values stand');
  assert.equal(after.estado, 'PUBLICADA');
  const entry = srv.logShow().split('\n').filter((l) => /acta\.cotejo/.test(l) && l.includes(C[41].clave));
  assert.equal(entry.length, 2, 'en corrección and corregida, each once');
  const [, beforeJ, afterJ] = entry[1].match(/(\{.*\}) -> (\{.*\})$/);
  const enc = (v) => v.join(',');
  assert.equal(JSON.parse(beforeJ).valores, enc(fix.vals), 'the replaced figures are in the bitácora');
  assert.equal(JSON.parse(afterJ).valores, enc(nuevos), 'and so are the corrected ones');
  assert.equal(JSON.parse(afterJ).cotejo, 2);
  // corregida straight away, too; values must come with it and only with it.
  r = await post('cot', later.p + '/cotejo', { resultado: 'aceptada', valores: later.vals });
  assert.equal(r.status, 400);
  r = await post('cot', later.p + '/cotejo', { resultado: 'corregida', valores: later.vals.map((x) => (x === '-' ? x : x + 1)) });
  assert.equal(r.status, 200);
  // The next corte publishes the corrected values, and cotejada 1 / 2 on the
  // site (the IECM form of the CSV, which this preset uses, has no COTEJADA).
  assert.equal((await post('adm', '/api/v1/cortes', {})).status, 201);
  const { head, rows } = latestCsv('GUB');
  const col = (n) => head.indexOf(n);
  const row = (clave) => rows.find((x) => x[col('CLAVE_CASILLA')].includes(clave));
  assert.equal(col('COTEJADA'), -1);
  assert.equal(row(C[41].clave)[col('TOTAL_BOLETAS_SOBRANTES')], String(nuevos[0]));
  const cotejada = (clave) => {
    const sec = join(srv.data, 'cortes', 'latest', 'sitio', 'json', 'GUB', '09', 'seccion', `${+clave.slice(2, 6)}.json`);
    return JSON.parse(readFileSync(sec, 'utf8')).casillas.find((c) => c.clave === clave).acta.cotejada;
  };
  assert.equal(cotejada(C[40].clave), 1);
  assert.equal(cotejada(C[41].clave), 2);
  assert.equal(srv.logVerify().code, 0);
});

test('acknowledged writes survive kill -9', async () => {
  const s = await startServer({ users: [{ name: 'aco', role: 'acopio' }] });
  const tok = await s.login('aco');
  const claves = C.slice(100, 140).map((c) => c.clave);
  const replies = await Promise.all(claves.map((c) =>
    s.req('POST', s.acta('DIP_LOC', c) + '/acopio', { token: tok })));
  for (const r of replies) assert.equal(r.status, 200);
  s.child.kill('SIGKILL');
  await new Promise((res) => s.child.on('exit', res));
  const st = prep(['status', '--json', '--data', s.data]);
  assert.equal(st.code, 0, st.stderr);
  const dip = JSON.parse(st.stdout).elecciones.find((e) => e.eleccion === 'DIP_LOC');
  assert.equal(dip.estados.ACOPIADA, claves.length, 'every acknowledged acopio is on disk');
  assert.equal(prep(['log', 'verify', '--data', s.data]).code, 0);
  rmSync(s.dir, { recursive: true, force: true });
});
