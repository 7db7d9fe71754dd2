// api_refusals.test.mjs — every kind of bad request gets a JSON error with
// its stable code and HTTP status, and changes nothing: after each refusal
// the acta reads the same, the bitácora has no new entry and its chain
// still verifies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, casillas, qrPng, sha256, valores, prep, PASSWORD } from './lib/server.mjs';

let srv;
const C = casillas();
const catd1 = C.filter((c) => c.catd === 1);
const otherCatd = C.find((c) => c.catd !== 1);
before(async () => {
  srv = await startServer({ users: [
    { name: 'aco', role: 'acopio' }, { name: 'aco2', role: 'acopio', catd: otherCatd.catd },
    { name: 'dig', role: 'digitalizacion' }, { name: 'cap1', role: 'captura' },
    { name: 'cap2', role: 'captura' }, { name: 'ver', role: 'verificacion' },
    { name: 'cot', role: 'cotejo' }, { name: 'aud', role: 'auditor' }, { name: 'gone', role: 'captura' },
  ] });
  // Log everyone in first: a login is itself a bitácora entry.
  for (const u of ['aco', 'aco2', 'dig', 'cap1', 'cap2', 'ver', 'cot', 'aud']) await srv.login(u);
});
after(async () => { await srv.stop(); });

function logLines() { return srv.logShow().trim().split('\n').length; }

async function snapshot(e, clave) {
  const r = await srv.req('GET', srv.acta(e, clave), { token: await srv.as('aud') });
  return { acta: r.body, log: logLines() };
}

// Run a refused request and check code, status and that nothing changed.
async function refused(e, clave, doIt, status, code) {
  const before = await snapshot(e, clave);
  const r = await doIt();
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.raw}`);
  if (code) {
    assert.equal(r.body?.error?.code, code, String(r.raw));
    assert.ok(r.body.error.message.length > 5, 'the message says why');
  }
  assert.equal(r.headers.get('content-type')?.startsWith('application/json'), true);
  const afterS = await snapshot(e, clave);
  assert.deepEqual(afterS.acta, before.acta, 'the acta did not change');
  assert.equal(afterS.log, before.log, 'no bitácora entry was written');
  return r;
}

const post = async (user, path, opts) => srv.req('POST', path, { token: user && await srv.as(user), ...opts });

test('malformed requests: JSON, values, unknown names', async () => {
  const clave = catd1[0].clave, p = srv.acta('GUB', clave);
  const png = await qrPng(clave);
  const up = await post('dig', p + '/imagenes', { body: png, headers: { 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(png), 'X-Origen': 'CATD' } });
  assert.equal(up.status, 201);
  const acta = (await srv.req('GET', p, { token: await srv.as('cap1') })).body;
  const good = valores(acta);
  await refused('GUB', clave, () => post('cap1', p + '/capturas', { json: '{"valores": [1,2' }), 400, 'invalid');
  await refused('GUB', clave, () => post('cap1', p + '/capturas', { json: '[1,2,3]' }), 400, 'invalid');
  await refused('GUB', clave, () => post('cap1', p + '/capturas', { json: '{"valores":[1],"valores":[2]}' }), 400, 'invalid');
  await refused('GUB', clave, () => post('cap1', p + '/capturas', { json: {} }), 400, 'invalid');
  await refused('GUB', clave, () => post('cap1', p + '/capturas', { json: { valores: good.slice(1) } }), 400, 'invalid');
  const neg = [...good]; neg[0] = -1;
  await refused('GUB', clave, () => post('cap1', p + '/capturas', { json: { valores: neg } }), 400, 'invalid');
  const big = [...good]; big[0] = 99999999;
  await refused('GUB', clave, () => post('cap1', p + '/capturas', { json: { valores: big } }), 400, 'invalid');
  const word = [...good]; word[1] = 'doce';
  await refused('GUB', clave, () => post('cap1', p + '/capturas', { json: { valores: word } }), 400, 'invalid');
  const dash = [...good]; dash[0] = '-';
  await refused('GUB', clave, () => post('cap1', p + '/capturas', { json: { valores: dash } }), 400, 'invalid');
  const frac = [...good]; frac[0] = 1.5;
  await refused('GUB', clave, () => post('cap1', p + '/capturas', { json: { valores: frac } }), 400, 'invalid');
  const named = { NO_EXISTE: 1 };
  await refused('GUB', clave, () => post('cap1', p + '/capturas', { json: { valores: named } }), 400, 'invalid');
  await refused('GUB', clave, () => post('ver', p + '/verificacion', { json: { resultado: 'quizas' } }), 400, 'invalid');
  await refused('GUB', clave, () => post('ver', p + '/verificacion', { json: { resultado: 'resuelve', elegida: 4 } }), 400, 'invalid');
  await refused('GUB', clave, () => post('ver', p + '/verificacion', { json: { resultado: 'acepta', valores: good } }), 400, 'invalid');
  await refused('GUB', clave, () => post('cot', p + '/cotejo', { json: { resultado: 'corregida' } }), 400, 'invalid');
  await refused('GUB', clave, () => post('aco', p + '/sin-acta', { json: { motivo: 'se_mojo' } }), 400, 'invalid');
  await refused('GUB', clave, () => post('aco', p + '/acopio', { json: 'no es json' }), 400, 'invalid');
  await refused('GUB', clave, () => post('cap1', p + '/capturas', { json: { valores: good }, headers: { 'Idempotency-Key': 'con espacios' } }), 400, 'invalid');
  await refused('GUB', clave, () => srv.req('PUT', p + '/capturas', { token: 'x'.repeat(64) }), 401, 'unauthorized');
  const put = await refused('GUB', clave, async () => srv.req('PUT', p + '/capturas', { token: await srv.as('cap1'), json: { valores: good } }), 405);
  assert.equal(put.body.error.code, 'method_not_allowed');
  assert.equal(srv.logVerify().code, 0);
});

test('unknown clave, unknown election, unknown resource', async () => {
  const clave = catd1[1].clave;
  let r = await refused('GUB', clave, () => post('aco', srv.acta('GUB', '099999B0100') + '/acopio'), 404, 'not_found');
  assert.match(r.body.error.message, /099999B0100/);
  await refused('GUB', clave, () => post('aco', srv.acta('GUB', 'basura') + '/acopio'), 404, 'not_found');
  r = await refused('GUB', clave, () => post('aco', srv.acta('PRES', clave) + '/acopio'), 404, 'not_found');
  assert.match(r.body.error.message, /PRES/);
  await refused('GUB', clave, () => post('aco', srv.acta('GUB', clave) + '/otra-cosa'), 404, 'not_found');
  await refused('GUB', clave, async () => srv.req('GET', '/api/v1/nada', { token: await srv.as('aco') }), 404, 'not_found');
  await refused('GUB', clave, () => post('aco', '/api/v1/elecciones/PRES/fuera-catalogo', { json: { identificacion: 'X' } }), 404, 'not_found');
});

test('oversized bodies: JSON and images', async () => {
  const clave = catd1[2].clave, p = srv.acta('GUB', clave);
  const huge = JSON.stringify({ valores: Array(70000).fill(12345) });
  assert.ok(huge.length > 256 * 1024);
  await refused('GUB', clave, () => post('cap1', p + '/capturas', { json: huge }), 413, 'too_large');
  const img = Buffer.alloc(8 * 1024 * 1024 + 1, 7);
  await refused('GUB', clave, () => post('dig', p + '/imagenes', { body: img, headers: { 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(img), 'X-Origen': 'CATD' } }), 413, 'too_large');
});

test('images: hash mismatch, wrong type, not an image, QR of another casilla', async () => {
  const clave = catd1[3].clave, p = srv.acta('DIP_LOC', clave);
  const png = await qrPng(clave);
  const h = (o) => ({ 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(png), 'X-Origen': 'CATD', ...o });
  let r = await refused('DIP_LOC', clave, () => post('dig', p + '/imagenes', { body: png, headers: h({ 'X-Content-SHA256': sha256(Buffer.from('otra cosa')) }) }), 422, 'hash_mismatch');
  assert.match(r.body.error.message, new RegExp(sha256(png)), 'the message gives the hash received');
  const damaged = Buffer.from(png); damaged[100] ^= 1;
  await refused('DIP_LOC', clave, () => post('dig', p + '/imagenes', { body: damaged, headers: h() }), 422, 'hash_mismatch');
  await refused('DIP_LOC', clave, () => post('dig', p + '/imagenes', { body: png, headers: h({ 'X-Content-SHA256': 'abc' }) }), 400, 'invalid');
  await refused('DIP_LOC', clave, () => post('dig', p + '/imagenes', { body: png, headers: { 'Content-Type': 'image/png', 'X-Origen': 'CATD' } }), 400, 'invalid');
  await refused('DIP_LOC', clave, () => post('dig', p + '/imagenes', { body: png, headers: h({ 'Content-Type': 'image/gif' }) }), 400, 'invalid');
  await refused('DIP_LOC', clave, () => post('dig', p + '/imagenes', { body: png, headers: h({ 'Content-Type': 'image/jpeg' }) }), 400, 'invalid');
  await refused('DIP_LOC', clave, () => post('dig', p + '/imagenes', { body: png, headers: h({ 'X-Origen': 'MARTE' }) }), 400, 'invalid');
  const text = Buffer.from('esto no es una imagen');
  await refused('DIP_LOC', clave, () => post('dig', p + '/imagenes', { body: text, headers: h({ 'X-Content-SHA256': sha256(text) }) }), 400, 'invalid');
  const broken = Buffer.concat([png.subarray(0, 60)]);
  await refused('DIP_LOC', clave, () => post('dig', p + '/imagenes', { body: broken, headers: h({ 'X-Content-SHA256': sha256(broken) }) }), 400, 'invalid');
  const otherQr = await qrPng(catd1[4].clave);
  r = await refused('DIP_LOC', clave, () => post('dig', p + '/imagenes', { body: otherQr, headers: h({ 'X-Content-SHA256': sha256(otherQr) }) }), 409, 'conflict');
  assert.match(r.body.error.message, new RegExp(catd1[4].clave));
  const after = (await srv.req('GET', p, { token: await srv.as('aud') })).body;
  assert.equal(after.imagenes.length, 0, 'the image of another casilla is not among this acta\'s images');
  // The same QR text embedded in a longer payload is still read.
  const framed = await qrPng(`PREP|DIP_LOC|${catd1[4].clave}|1`);
  await refused('DIP_LOC', clave, () => post('dig', p + '/imagenes', { body: framed, headers: h({ 'X-Content-SHA256': sha256(framed) }) }), 409, 'conflict');
});

test('roles and scope: wrong role 403, other CATD 403', async () => {
  const clave = catd1[5].clave, p = srv.acta('GUB', clave);
  await refused('GUB', clave, () => post('cap1', p + '/acopio'), 403, 'forbidden');
  await refused('GUB', clave, () => post('aco', p + '/capturas', { json: { valores: [1] } }), 403, 'forbidden');
  await refused('GUB', clave, () => post('aud', p + '/acopio'), 403, 'forbidden');
  const r = await refused('GUB', clave, () => post('aco2', p + '/acopio'), 403, 'forbidden');
  assert.match(r.body.error.message, /CATD/);
  await refused('GUB', clave, async () => srv.req('GET', p, { token: await srv.as('aco2') }), 403, 'forbidden');
  // Its own CATD works.
  assert.equal((await post('aco2', srv.acta('GUB', otherCatd.clave) + '/acopio')).status, 200);
});

test('sessions: none, malformed, unknown, closed, expired, disabled account', async () => {
  const clave = catd1[6].clave, p = srv.acta('GUB', clave) + '/acopio';
  await refused('GUB', clave, () => srv.req('POST', p), 401, 'unauthorized');
  await refused('GUB', clave, () => srv.req('POST', p, { headers: { Authorization: 'Basic YWNvOng=' } }), 401, 'unauthorized');
  await refused('GUB', clave, () => srv.req('POST', p, { token: 'corto' }), 401, 'unauthorized');
  await refused('GUB', clave, () => srv.req('POST', p, { token: 'a'.repeat(64) }), 401, 'unauthorized');
  const t = await srv.login('aco', 'mesa-9');
  assert.equal((await srv.req('DELETE', '/api/v1/session', { token: t })).status, 200);
  assert.match(srv.logShow(), /session\.close/);
  await refused('GUB', clave, () => srv.req('POST', p, { token: t }), 401, 'unauthorized');
  await srv.login('aco'); // later tests use aco's token
  const g = await srv.login('gone');
  assert.equal(prep(['user', 'disable', 'gone', '--data', srv.data]).code, 0);
  await refused('GUB', clave, () => srv.req('GET', srv.acta('GUB', clave), { token: g }), 401, 'unauthorized');
  assert.match(srv.logShow(), /user\.disable\s+user\/gone/);
});

test('expired session', async () => {
  const s = await startServer({ users: [{ name: 'aco', role: 'acopio' }], args: ['--session-seconds', '1'] });
  try {
    const t = await s.login('aco');
    assert.equal((await s.req('GET', '/api/v1/session', { token: t })).status, 200);
    await new Promise((res) => setTimeout(res, 1300));
    const r = await s.req('POST', s.acta('GUB', C[0].clave) + '/acopio', { token: t });
    assert.equal(r.status, 401);
    assert.match(r.body.error.message, /expired/);
  } finally { await s.stop(); }
});

test('wrong state and the same capturista twice', async () => {
  const clave = catd1[7].clave, p = srv.acta('ALC', clave);
  const acta = (await srv.req('GET', p, { token: await srv.as('cap1') })).body;
  await refused('ALC', clave, () => post('cap1', p + '/capturas', { json: { valores: valores(acta) } }), 409, 'state');
  await refused('ALC', clave, () => post('ver', p + '/verificacion', { json: { resultado: 'acepta' } }), 409, 'state');
  await refused('ALC', clave, () => post('cot', p + '/cotejo', { json: { resultado: 'aceptada' } }), 409, 'state');
  const png = await qrPng(clave);
  await post('dig', p + '/imagenes', { body: png, headers: { 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(png), 'X-Origen': 'CATD' } });
  assert.equal((await post('cap1', p + '/capturas', { json: { valores: valores(acta) } })).status, 200);
  const r = await refused('ALC', clave, () => post('cap1', p + '/capturas', { json: { valores: valores(acta, 5) } }), 409, 'conflict');
  assert.match(r.body.error.message, /already captured/);
  await refused('ALC', clave, () => post('ver', p + '/verificacion', { json: { resultado: 'acepta' } }), 409, 'state');
  await refused('ALC', clave, () => post('aco', p + '/sin-acta', { json: { motivo: 'sin_sobre' } }), 409, 'state');
  assert.equal(srv.logVerify().code, 0);
});

test('login: wrong password is logged and throttled after 5 failures', async () => {
  const s = await startServer({ users: [{ name: 'ana', role: 'captura' }] });
  try {
    for (let i = 0; i < 5; i++) {
      const r = await s.req('POST', '/api/v1/session', { json: { usuario: 'ana', password: 'mala-contraseña', estacion: 'x' } });
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'unauthorized');
    }
    let r = await s.req('POST', '/api/v1/session', { json: { usuario: 'ana', password: PASSWORD, estacion: 'x' } });
    assert.equal(r.status, 429, 'even the right password waits after 5 failures');
    assert.equal(r.body.error.code, 'rate_limited');
    assert.match(s.logShow(), /session\.fallida\s+user\/ana/);
    r = await s.req('POST', '/api/v1/session', { json: { usuario: 'nadie', password: 'x', estacion: 'x' } });
    assert.equal(r.status, 429, 'the address is throttled too');
    await new Promise((res) => setTimeout(res, 2200));
    r = await s.req('POST', '/api/v1/session', { json: { usuario: 'ana', password: PASSWORD, estacion: 'x' } });
    assert.equal(r.status, 201);
    r = await s.req('POST', '/api/v1/session', { json: { usuario: 'ana', estacion: 'x' } });
    assert.equal(r.status, 400);
    assert.equal(s.logVerify().code, 0);
  } finally { await s.stop(); }
});
