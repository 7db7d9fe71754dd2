// openapi.test.mjs — docs/api/openapi.yaml says what the server really does.
// The file parses (npm `yaml`), is OpenAPI 3 with every $ref resolving; its
// operations are exactly the routes exercised below; every path segment the
// router in src/http matches is in it; and against a real `prep serve`
// every operation answers with a status the file documents for it (error
// bodies with a documented code), secured ones answer 401 without a
// session, and methods the file does not list answer 405.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { startServer, casillas, qrPng, sha256, valores, PASSWORD } from './lib/server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const spec = YAML.parse(readFileSync(join(root, 'docs', 'api', 'openapi.yaml'), 'utf8'));
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const C = casillas();
const K = C.find((c) => c.catd === 1);
const E = 'GUB';
let png;

// One concrete request per operation, in an order that lets each one work
// (the image before the capture, ...). user: who sends it (null = nobody).
const SAMPLES = [
  ['get', '/healthz', {}],
  ['get', '/metrics', {}],
  ['post', '/api/v1/session', { json: { usuario: 'aud', password: PASSWORD, estacion: 'x' } }],
  ['get', '/api/v1/session', { user: 'aud' }],
  ['get', '/api/v1/elecciones', { user: 'cap' }],
  ['get', '/api/v1/avance', { user: 'mon' }],
  ['get', '/api/v1/casillas', { user: 'aco' }],
  ['get', '/api/v1/monitoreo', { user: 'mon' }],
  ['post', '/api/v1/elecciones/{eleccion}/actas/{clave}/acopio', { user: 'aco', json: {} }],
  ['post', '/api/v1/elecciones/{eleccion}/actas/{clave}/sin-acta', { user: 'aco', json: { motivo: 'sin_sobre' }, clave: C[3].clave }],
  ['post', '/api/v1/elecciones/{eleccion}/actas/{clave}/imagenes', { user: 'dig', image: true }],
  ['get', '/api/v1/elecciones/{eleccion}/actas/{clave}', { user: 'aud' }],
  ['get', '/api/v1/elecciones/{eleccion}/actas/{clave}/imagenes/{sha256}', { user: 'cap' }],
  ['post', '/api/v1/trabajo/{fase}/siguiente', { user: 'cap', json: {} }],
  ['post', '/api/v1/trabajo/{fase}/liberar', { user: 'cap', json: { eleccion: E, clave: K.clave } }],
  ['post', '/api/v1/elecciones/{eleccion}/actas/{clave}/capturas', { user: 'cap', values: true }],
  ['post', '/api/v1/elecciones/{eleccion}/actas/{clave}/verificacion', { user: 'ver', json: { resultado: 'acepta' } }],
  ['post', '/api/v1/elecciones/{eleccion}/actas/{clave}/cotejo', { user: 'cot', json: { resultado: 'aceptada' } }],
  ['post', '/api/v1/elecciones/{eleccion}/fuera-catalogo', { user: 'aco', json: { identificacion: '099999B0100' } }],
  ['get', '/api/v1/usuarios', { user: 'adm' }],
  ['post', '/api/v1/usuarios', { user: 'adm', json: { nombre: 'nuevo', rol: 'captura', password: PASSWORD } }],
  ['get', '/api/v1/usuarios/{nombre}', { user: 'adm' }],
  ['patch', '/api/v1/usuarios/{nombre}', { user: 'adm', json: { catd: 1 } }],
  ['post', '/api/v1/usuarios/{nombre}/password', { user: 'adm', json: { password: 'otra-contraseña-9' } }],
  ['get', '/api/v1/cortes', { user: 'mon' }],
  ['post', '/api/v1/cortes', { user: 'adm', json: {} }],
  ['get', '/', {}],
  ['get', '/cortes/{archivo}', { archivo: 'feed.json' }],
  ['get', '/operacion/{archivo}', { archivo: 'index.html' }],
  ['delete', '/api/v1/session', { user: 'bye' }],
];

let srv, vals;
before(async () => {
  srv = await startServer({ users: [
    { name: 'adm', role: 'admin' }, { name: 'aco', role: 'acopio' }, { name: 'dig', role: 'digitalizacion' },
    { name: 'cap', role: 'captura' }, { name: 'ver', role: 'verificacion' }, { name: 'cot', role: 'cotejo' },
    { name: 'mon', role: 'monitor' }, { name: 'aud', role: 'auditor' }, { name: 'bye', role: 'monitor' },
  ] });
  png = await qrPng(K.clave);
});
after(async () => { await srv.stop(); });

function concrete(path, s) {
  const params = { eleccion: E, clave: s.clave || K.clave, sha256: sha256(png), fase: 'captura', nombre: 'nuevo', archivo: s.archivo };
  return path.replace(/\{(\w+)\}/g, (_, p) => params[p]);
}

async function send(method, path, s, { auth = true } = {}) {
  const opts = { token: auth && s.user ? await srv.as(s.user) : undefined };
  if (s.image) {
    opts.body = png;
    opts.headers = { 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(png), 'X-Origen': 'CATD' };
  } else if (s.values) {
    opts.json = { valores: vals };
  } else if (s.json !== undefined) {
    opts.json = s.json;
  }
  return srv.req(method.toUpperCase(), concrete(path, s), opts);
}

function resolve(ref) {
  assert.match(ref, /^#\//, `only local $refs: ${ref}`);
  let node = spec;
  for (const part of ref.slice(2).split('/')) {
    node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    assert.ok(node !== undefined, `$ref ${ref} does not resolve`);
  }
  return node;
}
function walk(node, fn) {
  if (node && typeof node === 'object') {
    fn(node);
    for (const v of Object.values(node)) walk(v, fn);
  }
}
const errorCodes = spec.components.schemas.Error.properties.error.properties.code.enum;

test('the OpenAPI file parses, is OpenAPI 3, and every $ref resolves', () => {
  assert.match(spec.openapi, /^3\.\d+\.\d+$/);
  assert.ok(spec.info?.title && spec.info?.version);
  let refs = 0;
  walk(spec, (n) => { if (typeof n.$ref === 'string') { resolve(n.$ref); refs++; } });
  assert.ok(refs > 50);
  for (const [p, item] of Object.entries(spec.paths)) {
    for (const m of METHODS.filter((x) => item[x])) {
      const op = item[m];
      assert.ok(op.summary, `${m} ${p} has a summary`);
      assert.ok(Object.keys(op.responses || {}).length > 0, `${m} ${p} documents its responses`);
      for (const [code, r] of Object.entries(op.responses)) {
        assert.match(code, /^[1-5]\d\d$/);
        assert.ok(r.description || r.$ref, `${m} ${p} ${code} has a description`);
      }
      const params = [...(item.parameters || []), ...(op.parameters || [])].map((x) => (x.$ref ? resolve(x.$ref) : x));
      for (const name of [...p.matchAll(/\{(\w+)\}/g)].map((x) => x[1]))
        assert.ok(params.some((x) => x.in === 'path' && x.name === name), `${m} ${p} declares path parameter ${name}`);
    }
  }
});

test('the operations in the file are exactly the routes exercised here', () => {
  const documented = Object.entries(spec.paths).flatMap(([p, item]) => METHODS.filter((m) => item[m]).map((m) => `${m} ${p}`)).sort();
  const exercised = SAMPLES.map(([m, p]) => `${m} ${p}`).sort();
  assert.deepEqual(exercised, documented);
});

test('every path segment the router matches is in the file', () => {
  const src = ['server.c', 'api_acta.c', 'api_work.c', 'api_admin.c'].map((f) => readFileSync(join(root, 'src', 'http', f), 'utf8')).join('\n');
  const segs = new Set([...src.matchAll(/is\(seg\[\d\], "([a-z-]+)"\)|strcmp\((?:sub|fase|accion|s), "([a-z_-]+)"\)/g)].map((m) => m[1] || m[2]));
  assert.ok(segs.has('fuera-catalogo') && segs.has('usuarios') && segs.has('cortes'), [...segs].join(' '));
  const words = new Set(Object.keys(spec.paths).flatMap((p) => p.split('/')));
  for (const fase of spec.components.parameters.Fase.schema.enum) words.add(fase);
  for (const s of segs) assert.ok(words.has(s), `the router matches "${s}" but no documented path has it`);
});

test('every operation answers as documented (status, error code, 401 without a session)', async () => {
  for (const [m, p, s] of SAMPLES) {
    const item = spec.paths[p], op = item[m];
    const secured = (op.security ?? spec.security).length > 0;
    if (secured) {
      const r = await send(m, p, s, { auth: false });
      assert.equal(r.status, 401, `${m} ${p} without a session: ${r.raw}`);
      assert.ok(op.responses['401'], `${m} ${p} documents 401`);
    }
    if (s.values && !vals) vals = valores((await srv.req('GET', srv.acta(E, K.clave), { token: await srv.as('cap') })).body);
    const r = await send(m, p, s);
    assert.ok(op.responses[String(r.status)], `${m} ${p} answered ${r.status}, which the file does not document: ${r.raw.toString().slice(0, 200)}`);
    if (r.status >= 400 && r.body) assert.ok(errorCodes.includes(r.body.error?.code), `${m} ${p}: error code ${r.body.error?.code}`);
    if (p.startsWith('/api/')) assert.ok(r.status !== 404 || !/no such resource/.test(r.body?.error?.message), `${m} ${p} exists`);
  }
});

test('methods the file does not list are refused with 405', async () => {
  for (const [p, item] of Object.entries(spec.paths)) {
    const s = SAMPLES.find(([, q]) => q === p)[2];
    for (const m of METHODS.filter((x) => !item[x])) {
      const r = await send(m, p, { ...s, user: 'adm', json: undefined, image: false, values: false });
      assert.equal(r.status, 405, `${m} ${p}: ${r.status} ${r.raw.toString().slice(0, 200)}`);
      assert.equal(r.body?.error?.code, 'method_not_allowed');
    }
  }
});
