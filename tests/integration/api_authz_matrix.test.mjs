// api_authz_matrix.test.mjs — the role × endpoint authorization matrix over
// HTTP. Every endpoint that needs a session is called without one (401), by
// an account of every role (403 or allowed, as the table below says), and —
// where the endpoint is about one acta — by an account of an allowed role
// at another CATD, or a CAE the casilla is not assigned to (403), and at the
// acta's own CATD (allowed). Refused requests change nothing: the acta, the
// accounts, the cortes and the bitácora read the same before and after.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, casillas, qrPng, sha256, valores, PASSWORD } from './lib/server.mjs';

const ROLES = ['admin', 'acopio', 'digitalizacion', 'captura', 'verificacion', 'cotejo', 'cae', 'monitor', 'auditor'];
const C = casillas();
const K = C.find((c) => c.catd === 1 && c.cae > 0); // the acta every acta endpoint is about
const OTHER_CATD = C.find((c) => c.catd !== 1).catd;
const OTHER_CAE = C.find((c) => c.cae > 0 && c.cae !== K.cae).cae;
const E = 'GUB';
const A = `/api/v1/elecciones/${E}/actas/${K.clave}`;
let png, scan, img; // the CAE's photo (QR of K), a CATD scan stored beforehand, its hash

// One row per endpoint; one letter per role in ROLES order (Y allowed, . 403);
// scope: 'acta' when it is about acta K (CATD and CAE scope apply).
//                                                       ad ac di ca ve co ce mo au
const MATRIX = [
  { name: 'GET session',                 roles: 'YYYYYYYYY', req: () => ['GET', '/api/v1/session'] },
  { name: 'GET elecciones',              roles: 'YYYYYYYYY', req: () => ['GET', '/api/v1/elecciones'] },
  { name: 'GET avance',                  roles: 'Y......YY', req: () => ['GET', '/api/v1/avance'] },
  { name: 'GET acta',                    roles: 'YYYYYYYYY', scope: 'acta', req: () => ['GET', A] },
  { name: 'GET imagen',                  roles: 'Y.YYYY..Y', scope: 'acta', req: () => ['GET', `${A}/imagenes/${img}`] },
  { name: 'POST acopio',                 roles: '.Y.......', scope: 'acta', req: () => ['POST', `${A}/acopio`, {}] },
  { name: 'POST sin-acta',               roles: '.Y.......', scope: 'acta', req: () => ['POST', `${A}/sin-acta`, { motivo: 'sin_sobre' }] },
  { name: 'POST fuera-catalogo',         roles: '.Y.......', req: () => ['POST', `/api/v1/elecciones/${E}/fuera-catalogo`, { identificacion: '099999B0100' }] },
  { name: 'POST imagen CATD',            roles: '..Y......', scope: 'acta', req: () => ['POST', `${A}/imagenes`, scan, 'CATD'] },
  { name: 'POST imagen CASILLA',         roles: '......Y..', scope: 'acta', req: () => ['POST', `${A}/imagenes`, png, 'CASILLA'] },
  { name: 'POST capturas',               roles: '...Y.....', scope: 'acta', req: (v) => ['POST', `${A}/capturas`, { valores: v }] },
  { name: 'POST verificacion',           roles: '....Y....', scope: 'acta', req: () => ['POST', `${A}/verificacion`, { resultado: 'acepta' }] },
  { name: 'POST cotejo',                 roles: '.....Y...', scope: 'acta', req: () => ['POST', `${A}/cotejo`, { resultado: 'aceptada' }] },
  { name: 'POST trabajo/captura',        roles: '...Y.....', req: () => ['POST', '/api/v1/trabajo/captura/siguiente', {}] },
  { name: 'POST trabajo/captura lib.',   roles: '...Y.....', req: () => ['POST', '/api/v1/trabajo/captura/liberar', { eleccion: E, clave: K.clave }] },
  { name: 'POST trabajo/verificacion',   roles: '....Y....', req: () => ['POST', '/api/v1/trabajo/verificacion/siguiente', {}] },
  { name: 'POST trabajo/verif. lib.',    roles: '....Y....', req: () => ['POST', '/api/v1/trabajo/verificacion/liberar', { eleccion: E, clave: K.clave }] },
  { name: 'POST trabajo/cotejo',         roles: '.....Y...', req: () => ['POST', '/api/v1/trabajo/cotejo/siguiente', {}] },
  { name: 'POST trabajo/cotejo lib.',    roles: '.....Y...', req: () => ['POST', '/api/v1/trabajo/cotejo/liberar', { eleccion: E, clave: K.clave }] },
  { name: 'GET usuarios',                roles: 'Y.......Y', req: () => ['GET', '/api/v1/usuarios'] },
  { name: 'GET usuario',                 roles: 'Y.......Y', req: () => ['GET', '/api/v1/usuarios/blanco'] },
  { name: 'POST usuarios',               roles: 'Y........', req: () => ['POST', '/api/v1/usuarios', { nombre: 'blanco', rol: 'captura', password: PASSWORD }] },
  { name: 'PATCH usuario',               roles: 'Y........', req: () => ['PATCH', '/api/v1/usuarios/blanco', { catd: 0 }] },
  { name: 'POST usuario/password',       roles: 'Y........', req: () => ['POST', '/api/v1/usuarios/blanco/password', { password: PASSWORD }] },
  { name: 'GET cortes',                  roles: 'Y......YY', req: () => ['GET', '/api/v1/cortes'] },
  { name: 'POST cortes',                 roles: 'Y........', req: () => ['POST', '/api/v1/cortes', {}] },
  { name: 'DELETE session',              roles: 'YYYYYYYYY', req: () => ['DELETE', '/api/v1/session'] },
];

// Accounts: <role> works everywhere (the CAE is K's CAE); <role>-c1 at K's
// CATD; <role>-lejos at another CATD; cae-lejos is another CAE.
const users = [{ name: 'blanco', role: 'captura' }];
for (const role of ROLES) {
  if (role === 'cae') {
    users.push({ name: 'cae', role, cae: K.cae }, { name: 'cae-lejos', role, cae: OTHER_CAE });
  } else {
    users.push({ name: role, role }, { name: `${role}-c1`, role, catd: 1 }, { name: `${role}-lejos`, role, catd: OTHER_CATD });
  }
}

let srv, vals;
before(async () => {
  srv = await startServer({ users });
  for (const u of users) await srv.login(u.name);
  png = await qrPng(K.clave);
  scan = await qrPng(K.clave, { scale: 5 });
  img = sha256(scan);
  const up = await send('digitalizacion', ['POST', `${A}/imagenes`, scan, 'CATD']);
  assert.equal(up.status, 201, String(up.raw));
  const acta = (await srv.req('GET', A, { token: await srv.as('captura') })).body;
  vals = valores(acta);
});
after(async () => { await srv.stop(); });

async function send(user, [method, path, body, origen]) {
  const opts = { token: user ? await srv.as(user) : undefined };
  if (Buffer.isBuffer(body)) {
    opts.body = body;
    opts.headers = { 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(body), 'X-Origen': origen };
  } else if (body !== undefined) {
    opts.json = body;
  }
  return srv.req(method, path, opts);
}

async function state() {
  const aud = await srv.as('auditor');
  const [acta, us, cortes] = await Promise.all([
    srv.req('GET', A, { token: aud }), srv.req('GET', '/api/v1/usuarios', { token: aud }),
    srv.req('GET', '/api/v1/cortes', { token: aud })]);
  return { acta: acta.body, usuarios: us.body, cortes: cortes.body, log: srv.logShow().trim().split('\n').length };
}

test('the matrix covers every role and has a row per endpoint', () => {
  for (const row of MATRIX) assert.equal(row.roles.length, ROLES.length, row.name);
  assert.ok(K, 'the small catalog has a casilla of CATD 1 with a CAE');
});

for (const row of MATRIX) {
  test(`authorization: ${row.name}`, async () => {
    const req = row.req(vals);
    const before0 = await state();
    const results = [];
    // 401 without a session, with a malformed one, with an unknown one.
    for (const token of [undefined, 'nada', 'f'.repeat(64)]) {
      const opts = token ? { headers: { Authorization: 'Bearer ' + token } } : {};
      const r = await srv.req(req[0], req[1], { ...opts, json: Buffer.isBuffer(req[2]) ? undefined : req[2] });
      assert.equal(r.status, 401, `${row.name} with session ${token}: ${r.raw}`);
      assert.equal(r.body?.error?.code, 'unauthorized');
    }
    // 403 for every role the table refuses, in any scope.
    for (const [i, role] of ROLES.entries()) {
      if (row.roles[i] === 'Y') continue;
      for (const u of users.filter((x) => x.role === role)) {
        const r = await send(u.name, req);
        results.push([u.name, r.status]);
        assert.equal(r.status, 403, `${row.name} as ${u.name}: ${r.raw}`);
        assert.equal(r.body?.error?.code, 'forbidden');
        assert.match(r.body.error.message, new RegExp(role));
      }
    }
    // 403 for an allowed role outside the acta's CATD, or a CAE not assigned to it.
    if (row.scope === 'acta') {
      for (const [i, role] of ROLES.entries()) {
        if (row.roles[i] !== 'Y') continue;
        const r = await send(`${role}-lejos`, req);
        assert.equal(r.status, 403, `${row.name} as ${role}-lejos: ${r.raw}`);
        assert.equal(r.body?.error?.code, 'forbidden');
        assert.match(r.body.error.message, role === 'cae' ? /CAE/ : /CATD/);
      }
    }
    assert.deepEqual(await state(), before0, `${row.name}: refused requests changed nothing`);
    // Allowed for the role, everywhere and at the acta's own CATD.
    for (const [i, role] of ROLES.entries()) {
      if (row.roles[i] !== 'Y') continue;
      const who = role === 'cae' ? ['cae'] : [role, `${role}-c1`];
      if (row.scope !== 'acta' && role !== 'cae') who.push(`${role}-lejos`);
      for (const u of who) {
        const r = await send(u, req);
        assert.ok(r.status !== 401 && r.status !== 403 && r.status < 500,
          `${row.name} as ${u} should be allowed: ${r.status} ${r.raw}`);
      }
    }
  });
}
