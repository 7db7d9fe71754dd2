// crash.mjs — helpers of the crash tests: a data directory that outlives
// its `prep serve` processes (start, SIGKILL, start again on the same data),
// HTTP calls that report "not acknowledged" instead of throwing when the
// server dies under them, the operators' steps of an acta's life, and
// the checks that every corte directory is complete. Built on
// tests/integration/lib/server.mjs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { prep, smallCatalog, qrPng, sha256, PASSWORD } from '../../integration/lib/server.mjs';

export { prep, qrPng, sha256 };

export const USERS = [
  { name: 'aco', role: 'acopio' }, { name: 'dig', role: 'digitalizacion' },
  { name: 'cap1', role: 'captura' }, { name: 'cap2', role: 'captura' },
  { name: 'ver', role: 'verificacion' }, { name: 'aud', role: 'auditor' },
];

// prep init + small catalog + USERS in data (created under dir when absent).
export function makeData(data = join(mkdtempSync(join(tmpdir(), 'prep-crash-')), 'data')) {
  const steps = [['init', '--data', data], ['catalog', 'load', smallCatalog(), '--data', data]];
  for (const u of USERS) steps.push(['user', 'add', u.name, '--role', u.role, '--password-stdin', '--data', data]);
  for (const a of steps) {
    const r = prep(a, PASSWORD + '\n');
    if (r.code !== 0) throw new Error(`prep ${a.join(' ')}: ${r.stderr}`);
  }
  return data;
}

// A `prep serve` on data; resolves once it listens. kill() is SIGKILL.
export async function serve(data, args = []) {
  const child = spawn(process.env.PREP_BIN, ['serve', '--data', data, '--listen', '127.0.0.1:0',
    '--rate', '0', '--corte-every', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((res) => child.on('exit', (code, sig) => res({ code, sig })));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error('prep serve did not start: ' + stderr)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(t); resolve(m[1]); }
    });
    exited.then((e) => { clearTimeout(t); reject(new Error(`prep serve exited ${e.code ?? e.sig}: ${stderr}`)); });
  });
  return {
    url, child, exited,
    get stderr() { return stderr; },
    async kill() { child.kill('SIGKILL'); return exited; },
    async stop() {
      child.kill('SIGTERM');
      const e = await exited;
      if (e.code !== 0) throw new Error(`prep serve exited with ${e.code ?? e.sig}: ${stderr}`);
      if (/AddressSanitizer|runtime error:|LeakSanitizer/.test(stderr)) throw new Error('sanitizer: ' + stderr);
    },
  };
}

// One HTTP call; {status: 0} when the connection failed (not acknowledged).
export async function call(url, method, path, { token, json, body, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = 'Bearer ' + token;
  let b = body;
  if (json !== undefined) { b = JSON.stringify(json); h['Content-Type'] = 'application/json'; }
  try {
    const res = await fetch(url + path, { method, headers: h, body: b, signal: AbortSignal.timeout(20000) });
    const buf = Buffer.from(await res.arrayBuffer());
    let parsed = null;
    try { parsed = buf.length ? JSON.parse(buf.toString('utf8')) : null; } catch { parsed = null; }
    return { status: res.status, body: parsed, raw: buf };
  } catch (e) {
    return { status: 0, error: String(e.cause?.code || e.name) };
  }
}

export async function login(url, name) {
  const r = await call(url, 'POST', '/api/v1/session', { json: { usuario: name, password: PASSWORD, estacion: 'crash' } });
  if (r.status !== 201) throw new Error(`login ${name}: ${r.status} ${r.raw}`);
  return r.body.token;
}

export const actaPath = (e, clave) => `/api/v1/elecciones/${e}/actas/${clave}`;

// Figures for an acta: applicable fields numbered from base, "-" elsewhere.
export function figures(campos, base) {
  return campos.map((c, i) => (c.aplica ? (base + i) % 50 : '-'));
}

// The steps of one acta's life, in order, as [name, user, request builder].
// Every request carries an Idempotency-Key, so a retry of a write that was
// committed but not acknowledged gets the stored reply.
export function steps(e, clave, png, vals) {
  const p = actaPath(e, clave);
  const key = (s) => ({ 'Idempotency-Key': `${s}-${e}-${clave}` });
  return [
    ['acopio', 'aco', () => ({ method: 'POST', path: p + '/acopio', headers: key('acopio') })],
    ['imagen', 'dig', () => ({ method: 'POST', path: p + '/imagenes', body: png,
      headers: { ...key('imagen'), 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(png), 'X-Origen': 'CATD' } })],
    ['captura1', 'cap1', () => ({ method: 'POST', path: p + '/capturas', json: { valores: vals() }, headers: key('captura1') })],
    ['captura2', 'cap2', () => ({ method: 'POST', path: p + '/capturas', json: { valores: vals() }, headers: key('captura2') })],
    ['verificacion', 'ver', () => ({ method: 'POST', path: p + '/verificacion', json: { resultado: 'acepta' }, headers: key('verificacion') })],
  ];
}

// The lowest state an acta must be in once a step was acknowledged.
export const ORDER = ['ESPERADA', 'ACOPIADA', 'DIGITALIZADA', 'CAPTURADA', 'POR_VERIFICAR', 'VERIFICADA', 'PUBLICADA'];
export const STATE_AFTER = { acopio: 'ACOPIADA', imagen: 'DIGITALIZADA', captura1: 'CAPTURADA', captura2: 'POR_VERIFICAR', verificacion: 'VERIFICADA' };

// Every corte directory is whole: each file its MANIFEST names exists with
// that SHA-256, no other file is there, the signature exists; `latest`
// never dangles and (unless allowTmp: right after a kill) names the newest.
// Returns the number of corte directories.
export function checkCortes(data, { allowTmp = false } = {}) {
  const root = join(data, 'cortes');
  if (!existsSync(root)) return 0;
  const names = readdirSync(root);
  const tmp = names.filter((n) => n.startsWith('.tmp'));
  if (!allowTmp && tmp.length) throw new Error(`leftover temporary cortes: ${tmp.join(' ')}`);
  const dirs = names.filter((n) => /^\d/.test(n) && statSync(join(root, n)).isDirectory());
  for (const d of dirs) {
    const base = join(root, d);
    const manifest = readFileSync(join(base, 'MANIFEST'), 'utf8');
    if (!existsSync(join(base, 'MANIFEST.sig'))) throw new Error(`${d}: no MANIFEST.sig`);
    const listed = new Set();
    for (const line of manifest.split('\n').filter(Boolean)) {
      const m = line.match(/^([0-9a-f]{64})  (.+)$/);
      if (!m) throw new Error(`${d}: bad MANIFEST line ${line}`);
      const got = createHash('sha256').update(readFileSync(join(base, m[2]))).digest('hex');
      if (got !== m[1]) throw new Error(`${d}/${m[2]}: SHA-256 differs from its MANIFEST`);
      listed.add(m[2]);
    }
    const walk = (rel) => readdirSync(join(base, rel), { withFileTypes: true }).flatMap((x) =>
      x.isDirectory() ? walk(join(rel, x.name)) : [join(rel, x.name)]);
    for (const f of walk('')) {
      if (f !== 'MANIFEST' && f !== 'MANIFEST.sig' && !listed.has(f)) throw new Error(`${d}/${f}: not in its MANIFEST`);
    }
  }
  // `latest` never dangles; it may lag (a corte killed after its rename is
  // recorded by the next run) only while a kill is being recovered from.
  const latest = join(root, 'latest');
  let to = null;
  try { to = readlinkSync(latest); } catch (e) { if (e.code !== 'ENOENT') throw e; }
  if (to !== null && !existsSync(join(latest, 'MANIFEST'))) throw new Error(`latest -> ${to} is not a whole corte`);
  if (!allowTmp && dirs.length && to !== dirs.sort().at(-1)) {
    throw new Error(`latest -> ${to}, not the newest corte ${dirs.sort().at(-1)}`);
  }
  return dirs.length;
}
