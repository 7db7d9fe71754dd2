// api_admin.test.mjs — the administration API over HTTP: accounts (list,
// create, change role / CATD / CAE, disable and enable, reset a password)
// and cortes (history, a corte now, the final corte). Every change is one
// bitácora entry by the administrator; every retry (natural key or
// Idempotency-Key) changes nothing; every refusal changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, prep } from './lib/server.mjs';

let srv;
before(async () => {
  srv = await startServer({ users: [
    { name: 'adm', role: 'admin' }, { name: 'adm2', role: 'admin' }, { name: 'aud', role: 'auditor' },
    { name: 'mon', role: 'monitor' }, { name: 'cap', role: 'captura' },
  ] });
  // Log everyone in first: a login is itself a bitácora entry.
  for (const u of ['adm', 'adm2', 'aud', 'mon', 'cap']) await srv.login(u);
});
after(async () => { await srv.stop(); });

const NEWPW = 'otra-contraseña-larga-2';
function log() { return srv.logShow().trim().split('\n'); }
function entries(action) { return log().filter((l) => l.split(/\s+/).includes(action)); }
async function as(u) { return srv.as(u); }
async function call(user, method, path, json, headers) {
  return srv.req(method, path, { token: user && await as(user), json, headers });
}

// A refused request: status and code, and nothing written.
async function refused(doIt, status, code) {
  const n = log().length;
  const users = (await call('adm', 'GET', '/api/v1/usuarios')).body;
  const r = await doIt();
  assert.equal(r.status, status, String(r.raw));
  assert.equal(r.body?.error?.code, code, String(r.raw));
  assert.equal(log().length, n, 'no bitácora entry');
  assert.deepEqual((await call('adm', 'GET', '/api/v1/usuarios')).body, users, 'accounts unchanged');
  return r;
}

test('list accounts: admin and auditor; others 403, no session 401', async () => {
  const r = await call('adm', 'GET', '/api/v1/usuarios');
  assert.equal(r.status, 200);
  const names = r.body.usuarios.map((u) => u.nombre);
  assert.deepEqual(names, ['adm', 'adm2', 'aud', 'mon', 'cap']);
  assert.ok(r.body.usuarios.every((u) => !('pwhash' in u) && u.activo === true));
  assert.equal((await call('aud', 'GET', '/api/v1/usuarios')).status, 200);
  assert.equal((await call('aud', 'GET', '/api/v1/usuarios/cap')).body.usuario.rol, 'captura');
  assert.equal((await call('mon', 'GET', '/api/v1/usuarios')).status, 403);
  assert.equal((await call(null, 'GET', '/api/v1/usuarios')).status, 401);
  assert.equal((await call('adm', 'GET', '/api/v1/usuarios/nadie')).status, 404);
  assert.equal((await call('adm', 'DELETE', '/api/v1/usuarios/cap')).status, 405);
});

test('create an account: logged, retried safely, refusals change nothing', async () => {
  const body = { nombre: 'nueva', rol: 'acopio', catd: 1, password: NEWPW };
  const r = await call('adm', 'POST', '/api/v1/usuarios', body);
  assert.equal(r.status, 201, String(r.raw));
  assert.deepEqual({ ...r.body.usuario, id: 0, creado: '' },
    { id: 0, nombre: 'nueva', rol: 'acopio', catd: 1, cae: 0, activo: true, creado: '' });
  const add = entries('user.add').filter((l) => l.includes('user/nueva'));
  assert.equal(add.length, 1);
  assert.match(add[0], /user [1-9]\d*\s+prueba-1\s+user\.add/, 'by the administrator, from its station');
  const login = await srv.req('POST', '/api/v1/session', { json: { usuario: 'nueva', password: NEWPW, estacion: 'x' } });
  assert.equal(login.status, 201);
  // The same request again (natural key): a no-op.
  const n = log().length;
  const again = await call('adm', 'POST', '/api/v1/usuarios', body);
  assert.equal(again.status, 200);
  assert.equal(again.body.noop, true);
  assert.equal(log().length, n);
  // The same name for something else: a conflict.
  await refused(() => call('adm', 'POST', '/api/v1/usuarios', { ...body, rol: 'captura' }), 409, 'conflict');
  await refused(() => call('adm', 'POST', '/api/v1/usuarios', { ...body, password: 'no-es-la-misma-1' }), 409, 'conflict');
  // With an Idempotency-Key the stored reply comes back, one entry only.
  const k = { 'Idempotency-Key': 'alta-otra-1' };
  const b2 = { nombre: 'otra', rol: 'cae', cae: 3, password: NEWPW };
  const r1 = await call('adm', 'POST', '/api/v1/usuarios', b2, k);
  const r2 = await call('adm', 'POST', '/api/v1/usuarios', b2, k);
  assert.equal(r1.status, 201);
  assert.equal(r2.status, 201);
  assert.deepEqual(r2.body, r1.body);
  assert.equal(entries('user.add').filter((l) => l.includes('user/otra')).length, 1);
  await refused(() => call('adm', 'POST', '/api/v1/usuarios', { ...b2, nombre: 'otra2' }, k), 409, 'conflict');
  // Bad input.
  await refused(() => call('adm', 'POST', '/api/v1/usuarios', { nombre: 'x1', rol: 'jefe', password: NEWPW }), 400, 'invalid');
  await refused(() => call('adm', 'POST', '/api/v1/usuarios', { nombre: 'x1', rol: 'cae', password: NEWPW }), 400, 'invalid');
  await refused(() => call('adm', 'POST', '/api/v1/usuarios', { nombre: 'x1', rol: 'captura', cae: 2, password: NEWPW }), 400, 'invalid');
  await refused(() => call('adm', 'POST', '/api/v1/usuarios', { nombre: 'x1', rol: 'captura', catd: 999, password: NEWPW }), 400, 'invalid');
  await refused(() => call('adm', 'POST', '/api/v1/usuarios', { nombre: 'x1', rol: 'captura', catd: 'uno', password: NEWPW }), 400, 'invalid');
  await refused(() => call('adm', 'POST', '/api/v1/usuarios', { nombre: 'X Y', rol: 'captura', password: NEWPW }), 400, 'invalid');
  await refused(() => call('adm', 'POST', '/api/v1/usuarios', { nombre: 'x1', rol: 'captura', password: 'corta' }), 400, 'invalid');
  await refused(() => call('adm', 'POST', '/api/v1/usuarios', { nombre: 'x1', rol: 'captura', password: NEWPW, roll: 'a' }), 400, 'invalid');
  await refused(() => call('adm', 'POST', '/api/v1/usuarios', '{"nombre":'), 400, 'invalid');
  await refused(() => call('cap', 'POST', '/api/v1/usuarios', { nombre: 'x1', rol: 'captura', password: NEWPW }), 403, 'forbidden');
  await refused(() => call('aud', 'POST', '/api/v1/usuarios', { nombre: 'x1', rol: 'captura', password: NEWPW }), 403, 'forbidden');
  await refused(() => call(null, 'POST', '/api/v1/usuarios', { nombre: 'x1', rol: 'captura', password: NEWPW }), 401, 'unauthorized');
});

test('change role and CATD, disable and enable: takes effect at once, logged once', async () => {
  await call('adm', 'POST', '/api/v1/usuarios', { nombre: 'mover', rol: 'captura', catd: 1, password: NEWPW });
  const tok = (await srv.req('POST', '/api/v1/session', { json: { usuario: 'mover', password: NEWPW, estacion: 'y' } })).body.token;
  const me = async () => srv.req('GET', '/api/v1/session', { token: tok });
  let r = await call('adm', 'PATCH', '/api/v1/usuarios/mover', { rol: 'verificacion', catd: 2 });
  assert.equal(r.status, 200, String(r.raw));
  assert.equal(r.body.noop, false);
  assert.equal(r.body.usuario.rol, 'verificacion');
  assert.equal((await me()).body.rol, 'verificacion', 'the open session has the new role');
  assert.equal((await me()).body.catd, 2);
  const upd = entries('user.update').filter((l) => l.includes('user/mover'));
  assert.equal(upd.length, 1);
  assert.match(upd[0], /"rol":"captura","catd":1.*-> \{"rol":"verificacion","catd":2/);
  // The same change again: nothing happens.
  const n = log().length;
  r = await call('adm', 'PATCH', '/api/v1/usuarios/mover', { rol: 'verificacion', catd: 2 });
  assert.equal(r.body.noop, true);
  assert.equal(log().length, n);
  // To role cae needs a CAE number; leaving it drops the number.
  await refused(() => call('adm', 'PATCH', '/api/v1/usuarios/mover', { rol: 'cae' }), 400, 'invalid');
  r = await call('adm', 'PATCH', '/api/v1/usuarios/mover', { rol: 'cae', cae: 5 });
  assert.equal(r.body.usuario.cae, 5);
  r = await call('adm', 'PATCH', '/api/v1/usuarios/mover', { rol: 'captura' });
  assert.equal(r.body.usuario.cae, 0);
  // Disable: the session stops at once and so does login; enable again.
  r = await call('adm', 'PATCH', '/api/v1/usuarios/mover', { activo: false });
  assert.equal(r.body.usuario.activo, false);
  assert.equal((await me()).status, 401);
  assert.equal(entries('user.disable').filter((l) => l.includes('user/mover')).length, 1);
  const denied = await srv.req('POST', '/api/v1/session', { json: { usuario: 'mover', password: NEWPW, estacion: 'y' } });
  assert.equal(denied.status, 401);
  r = await call('adm', 'PATCH', '/api/v1/usuarios/mover', { activo: true });
  assert.equal(r.body.usuario.activo, true);
  assert.equal(entries('user.enable').filter((l) => l.includes('user/mover')).length, 1);
  assert.equal((await me()).status, 401, 'disabling closed the old session for good');
  const back = await srv.req('POST', '/api/v1/session', { json: { usuario: 'mover', password: NEWPW, estacion: 'y' } });
  assert.equal(back.status, 201);
  // Refusals.
  await refused(() => call('adm', 'PATCH', '/api/v1/usuarios/mover', {}), 400, 'invalid');
  await refused(() => call('adm', 'PATCH', '/api/v1/usuarios/mover', { activo: 'no' }), 400, 'invalid');
  await refused(() => call('adm', 'PATCH', '/api/v1/usuarios/mover', { rol: 'jefe' }), 400, 'invalid');
  await refused(() => call('adm', 'PATCH', '/api/v1/usuarios/mover', { catd: 999 }), 400, 'invalid');
  await refused(() => call('adm', 'PATCH', '/api/v1/usuarios/mover', { password: NEWPW }), 400, 'invalid');
  await refused(() => call('adm', 'PATCH', '/api/v1/usuarios/nadie', { activo: false }), 404, 'not_found');
  await refused(() => call('adm', 'PATCH', '/api/v1/usuarios/adm', { activo: false }), 409, 'conflict');
  await refused(() => call('adm', 'PATCH', '/api/v1/usuarios/adm', { rol: 'monitor' }), 409, 'conflict');
  await refused(() => call('aud', 'PATCH', '/api/v1/usuarios/mover', { activo: false }), 403, 'forbidden');
  // Another administrator may.
  r = await call('adm2', 'PATCH', '/api/v1/usuarios/adm', { catd: 0 });
  assert.equal(r.status, 200);
});

test('reset a password: old sessions and the old password stop working', async () => {
  await call('adm', 'POST', '/api/v1/usuarios', { nombre: 'olvido', rol: 'captura', password: NEWPW });
  const tok = (await srv.req('POST', '/api/v1/session', { json: { usuario: 'olvido', password: NEWPW, estacion: 'z' } })).body.token;
  const PW3 = 'tercera-contraseña-33';
  const r = await call('adm', 'POST', '/api/v1/usuarios/olvido/password', { password: PW3 });
  assert.equal(r.status, 200, String(r.raw));
  assert.equal(r.body.noop, false);
  const pwlog = entries('user.password').filter((l) => l.includes('user/olvido'));
  assert.equal(pwlog.length, 1);
  assert.ok(!pwlog[0].includes('argon2'), 'no hash in the bitácora');
  assert.equal((await srv.req('GET', '/api/v1/session', { token: tok })).status, 401);
  assert.equal((await srv.req('POST', '/api/v1/session', { json: { usuario: 'olvido', password: NEWPW, estacion: 'z' } })).status, 401);
  assert.equal((await srv.req('POST', '/api/v1/session', { json: { usuario: 'olvido', password: PW3, estacion: 'z' } })).status, 201);
  // Retried: the account already has that password, nothing is written.
  const n = log().length;
  const again = await call('adm', 'POST', '/api/v1/usuarios/olvido/password', { password: PW3 });
  assert.equal(again.body.noop, true);
  assert.equal(log().length, n);
  await refused(() => call('adm', 'POST', '/api/v1/usuarios/olvido/password', { password: 'corta' }), 400, 'invalid');
  await refused(() => call('adm', 'POST', '/api/v1/usuarios/olvido/password', {}), 400, 'invalid');
  await refused(() => call('adm', 'POST', '/api/v1/usuarios/nadie/password', { password: PW3 }), 404, 'not_found');
  await refused(() => call('cap', 'POST', '/api/v1/usuarios/olvido/password', { password: PW3 }), 403, 'forbidden');
  await refused(() => call('adm', 'POST', '/api/v1/usuarios/olvido/otra', { password: PW3 }), 404, 'not_found');
  assert.equal(srv.logVerify().code, 0);
});

test('cortes: history, a corte now (logged with who asked), retries, the final corte', async () => {
  let r = await call('mon', 'GET', '/api/v1/cortes');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.cortes, []);
  assert.equal(r.body.cada_min, 10);
  await refused(() => call('mon', 'POST', '/api/v1/cortes', {}), 403, 'forbidden');
  await refused(() => call('cap', 'GET', '/api/v1/cortes'), 403, 'forbidden');
  await refused(() => call(null, 'POST', '/api/v1/cortes', {}), 401, 'unauthorized');
  await refused(() => call('adm', 'POST', '/api/v1/cortes', { final: 'si' }), 400, 'invalid');
  await refused(() => call('adm', 'POST', '/api/v1/cortes', { finale: true }), 400, 'invalid');
  const k = { 'Idempotency-Key': 'corte-de-las-20' };
  r = await call('adm', 'POST', '/api/v1/cortes', undefined, k);
  assert.equal(r.status, 201, String(r.raw));
  assert.equal(r.body.corte.numero, 1);
  assert.equal(r.body.corte.final, false);
  assert.match(r.body.corte.directorio, /^cortes\/\d{8}_\d{4}_c0001$/);
  assert.match(r.body.corte.manifest_sha256, /^[0-9a-f]{64}$/);
  const asked = entries('corte.solicitado');
  assert.equal(asked.length, 1);
  assert.match(asked[0], /user [1-9]\d*\s+prueba-1\s+corte\.solicitado\s+corte\/1/);
  assert.equal(entries('corte.publica').length, 1);
  // The same request retried: the same corte, no new one.
  const again = await call('adm', 'POST', '/api/v1/cortes', undefined, k);
  assert.equal(again.status, 201);
  assert.deepEqual(again.body, r.body);
  assert.equal(entries('corte.solicitado').length, 1);
  await refused(() => call('adm', 'POST', '/api/v1/cortes', { final: true }, k), 409, 'conflict');
  // Visible in the history and on disk.
  r = await call('aud', 'GET', '/api/v1/cortes');
  assert.equal(r.body.cortes.length, 1);
  assert.equal(r.body.cortes[0].numero, 1);
  const pub = await srv.req('GET', '/' + again.body.corte.directorio + '/MANIFEST');
  assert.equal(pub.status, 200);
  // The final corte, then nothing more.
  r = await call('adm', 'POST', '/api/v1/cortes', { final: true });
  assert.equal(r.status, 201, String(r.raw));
  assert.equal(r.body.corte.numero, 2);
  assert.equal(r.body.corte.final, true);
  await refused(() => call('adm', 'POST', '/api/v1/cortes', {}), 409, 'state');
  r = await call('mon', 'GET', '/api/v1/cortes');
  assert.deepEqual(r.body.cortes.map((c) => [c.numero, c.final]), [[1, false], [2, true]]);
  assert.equal(srv.logVerify().code, 0);
});

test('the command line logs its administrative actions too: prep user add / disable / enable / set, prep corte', async () => {
  const s = await startServer({ users: [{ name: 'jefa', role: 'admin' }] });
  try {
    const add = prep(['user', 'add', 'desde-cli', '--role', 'verificacion', '--catd', '2', '--password-stdin', '--data', s.data], NEWPW + '\n');
    assert.equal(add.code, 0, add.stderr);
    const dis = prep(['user', 'disable', 'desde-cli', '--data', s.data]);
    assert.equal(dis.code, 0, dis.stderr);
    const en = prep(['user', 'enable', 'desde-cli', '--data', s.data]);
    assert.equal(en.code, 0, en.stderr);
    assert.match(en.stdout, /desde-cli enabled/);
    const set = prep(['user', 'set', 'desde-cli', '--role', 'cae', '--cae', '4', '--data', s.data]);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /role cae, catd 2, cae 4/);
    const same = prep(['user', 'set', 'desde-cli', '--role', 'cae', '--data', s.data]);
    assert.match(same.stdout, /unchanged/);
    const bad = prep(['user', 'set', 'desde-cli', '--role', 'captura', '--cae', '4', '--data', s.data]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /cae/);
    assert.notEqual(prep(['user', 'set', 'desde-cli', '--data', s.data]).code, 0);
    assert.notEqual(prep(['user', 'enable', 'nadie', '--data', s.data]).code, 0);
    assert.equal(prep(['user', 'disable', 'desde-cli', '--data', s.data]).code, 0);
    const corte = prep(['corte', '--data', s.data]);
    assert.equal(corte.code, 0, corte.stderr);
    const log = s.logShow();
    assert.match(log, /cli:\S+\s+user\.add\s+user\/desde-cli\s+- -> \{"rol":"verificacion","catd":2/);
    assert.match(log, /cli:\S+\s+user\.disable\s+user\/desde-cli\s+\{.*"activo":true\} -> \{.*"activo":false\}/);
    assert.match(log, /cli:\S+\s+user\.enable\s+user\/desde-cli/);
    assert.match(log, /cli:\S+\s+user\.update\s+user\/desde-cli\s+\{"rol":"verificacion".*-> \{"rol":"cae","catd":2,"cae":4/);
    assert.equal(log.split('\n').filter((l) => /user\.update/.test(l)).length, 1, 'the unchanged set and the refused one wrote nothing');
    assert.match(log, /corte\.publica\s+corte\/1/);
    // The running server sees both at once.
    const tok = await s.login('jefa');
    const u = await s.req('GET', '/api/v1/usuarios/desde-cli', { token: tok });
    assert.equal(u.body.usuario.activo, false);
    const c = await s.req('GET', '/api/v1/cortes', { token: tok });
    assert.equal(c.body.cortes.length, 1);
    assert.equal(s.logVerify().code, 0);
  } finally {
    await s.stop();
  }
});

test('with --corte-every 0 there are no automatic cortes, and an administrator can still take one', async () => {
  const s = await startServer({ users: [{ name: 'jefa', role: 'admin' }], args: ['--corte-every', '0'] });
  try {
    const tok = await s.login('jefa');
    let r = await s.req('GET', '/api/v1/cortes', { token: tok });
    assert.deepEqual(r.body, { cortes: [], cada_min: 0 });
    r = await s.req('POST', '/api/v1/cortes', { token: tok });
    assert.equal(r.status, 201, String(r.raw));
    assert.equal(r.body.corte.numero, 1);
  } finally {
    await s.stop();
  }
});
