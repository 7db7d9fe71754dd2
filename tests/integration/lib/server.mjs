// server.mjs — shared helpers of the integration tests: make a fresh data
// directory (prep init + the `small` catalog + users), start a real
// `prep serve` on a free loopback port, talk to it over HTTP, and stop it
// (always, and failing the test if it did not exit cleanly or a sanitizer
// complained). PREP_BIN selects the binary (tests/run.sh sets it).
// PREP_TEST_STORE=postgresql://... (scripts/pg-test.sh) puts each server's
// store in a fresh database on that PostgreSQL, dropped when it stops.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const PREP = process.env.PREP_BIN || join(root, 'build', 'prep');
export const PASSWORD = 'contraseña-de-prueba-1';

export function prep(args, input) {
  const r = spawnSync(PREP, args, { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let catalogDir = null;
// The `small` catalog, generated once per test process.
export function smallCatalog() {
  if (catalogDir) return catalogDir;
  const d = mkdtempSync(join(tmpdir(), 'prep-cat-'));
  const r = prep(['catalog', 'gen', '--preset', 'small', '--out', join(d, 'cat'), '--force']);
  if (r.code !== 0) throw new Error('catalog gen failed: ' + r.stderr);
  catalogDir = join(d, 'cat');
  process.on('exit', () => rmSync(d, { recursive: true, force: true }));
  return catalogDir;
}

let pgCount = 0;
function psql(sql) {
  const r = spawnSync('psql', [process.env.PREP_TEST_STORE, '-qAtc', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql ${sql}: ${r.stderr}`);
}
// Arguments of `prep init` for a new data directory, and how to clean up after it.
export function storeFor() {
  const server = process.env.PREP_TEST_STORE;
  if (!server) return { args: [], drop() {} };
  const name = `prep_it_${process.pid}_${pgCount++}`;
  psql(`CREATE DATABASE ${name}`);
  const url = server.slice(0, server.lastIndexOf('/') + 1) + name;
  return { args: ['--store', url], drop() { psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } };
}

function pad(n, w) { return String(n).padStart(w, '0'); }

// Casillas of the small catalog: clave, catd, cae (from casillas.csv).
export function casillas() {
  const lines = readFileSync(join(smallCatalog(), 'casillas.csv'), 'utf8').trim().split(/\r?\n/);
  const head = lines[0].replace(/^\uFEFF/, '').split(',');
  const ix = (n) => head.indexOf(n);
  return lines.slice(1).map((l) => {
    const f = l.split(',');
    const clave = pad(f[ix('ID_ENTIDAD')], 2) + pad(f[ix('SECCION')], 4) + f[ix('TIPO_CASILLA')] +
      pad(f[ix('ID_CASILLA')], 2) + pad(f[ix('EXT_CONTIGUA')], 2);
    return { clave, catd: +f[ix('ID_CATD')], cae: +f[ix('ID_CAE')], tipo: f[ix('TIPO_CASILLA')] };
  }).sort((a, b) => (a.clave < b.clave ? -1 : 1));
}

export function sha256(buf) { return createHash('sha256').update(buf).digest('hex'); }

// A PNG carrying a QR code with `text` (what the simulator prints on actas).
export async function qrPng(text, opts = {}) {
  return QRCode.toBuffer(text, { type: 'png', margin: 4, scale: opts.scale || 6, errorCorrectionLevel: 'M' });
}

// users: [{name, role, catd?, cae?}]
export async function startServer({ users = [], args = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'prep-it-'));
  const data = join(dir, 'data');
  const store = storeFor();
  for (const a of [['init', '--data', data, ...store.args], ['catalog', 'load', smallCatalog(), '--data', data]]) {
    const r = prep(a);
    if (r.code !== 0) throw new Error(`prep ${a.join(' ')}: ${r.stderr}`);
  }
  for (const u of users) {
    const a = ['user', 'add', u.name, '--role', u.role, '--password-stdin', '--data', data];
    if (u.catd) a.push('--catd', String(u.catd));
    if (u.cae) a.push('--cae', String(u.cae));
    const r = prep(a, PASSWORD + '\n');
    if (r.code !== 0) throw new Error(`user add ${u.name}: ${r.stderr}`);
  }
  const child = spawn(PREP, ['serve', '--data', data, '--listen', '127.0.0.1:0', '--rate', '0',
    '--web', join(dir, 'web'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((res) => child.on('exit', (code, sig) => res({ code, sig })));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error('prep serve did not start: ' + stderr)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(t); resolve(m[1]); }
    });
    exited.then((e) => { clearTimeout(t); reject(new Error(`prep serve exited ${e.code}: ${stderr}`)); });
  });
  const tokens = {};
  const srv = {
    url, data, dir, child, storeUrl: store.args[1] || null,
    get stderr() { return stderr; },
    async req(method, path, { token, json, body, headers = {} } = {}) {
      const h = { ...headers };
      if (token) h.Authorization = 'Bearer ' + token;
      let b = body;
      if (json !== undefined) { b = typeof json === 'string' ? json : JSON.stringify(json); h['Content-Type'] = 'application/json'; }
      const res = await fetch(url + path, { method, headers: h, body: b, redirect: 'manual' });
      const buf = Buffer.from(await res.arrayBuffer());
      let parsed = null;
      if ((res.headers.get('content-type') || '').includes('json') && buf.length) {
        try { parsed = JSON.parse(buf.toString('utf8')); } catch { parsed = null; }
      }
      return { status: res.status, headers: res.headers, body: parsed, raw: buf };
    },
    async login(name, estacion = 'prueba-1') {
      const r = await srv.req('POST', '/api/v1/session', { json: { usuario: name, password: PASSWORD, estacion } });
      if (r.status !== 201) throw new Error(`login ${name}: ${r.status} ${r.raw}`);
      tokens[name] = r.body.token;
      return r.body.token;
    },
    async as(name) { return tokens[name] || srv.login(name); },
    acta(e, clave) { return `/api/v1/elecciones/${e}/actas/${clave}`; },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15000);
      const e = await exited;
      clearTimeout(t);
      rmSync(dir, { recursive: true, force: true });
      store.drop();
      if (e.code !== 0) throw new Error(`prep serve exited with ${e.code ?? e.sig}: ${stderr}`);
      if (/AddressSanitizer|runtime error:|LeakSanitizer/.test(stderr)) throw new Error('sanitizer: ' + stderr);
    },
    logVerify() { return prep(['log', 'verify', '--data', data]); },
    logShow() { return prep(['log', 'show', '--data', data]).stdout; },
  };
  return srv;
}

// Values for an acta: every applicable field a number, "-" elsewhere.
export function valores(acta, base = 1) {
  return acta.campos.map((c, i) => (c.aplica ? base + i : '-'));
}

export const exists = existsSync;
