// security.test.mjs — what an attacker on the network meets, over real HTTP:
// the security headers on every kind of response (API JSON and errors, acta
// images, the public site, operator pages, 404s, redirects), no path
// traversal in static files or the image store (../, %2e%2e, encoded
// slashes, backslashes, symlinks out of the root), limits on body, header,
// connections per server and per address and requests per second, session
// tokens (random, 256 bits, stored only hashed) and no cookies at all (the
// reason the operator pages need no CSRF token: docs/security.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, symlinkSync, readFileSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, casillas, qrPng, sha256, prep } from './lib/server.mjs';

// One raw HTTP/1.1 exchange: the request text goes out exactly as written
// (fetch would normalise ../ and %2e away before sending).
function raw(url, text, { timeout = 10000 } = {}) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = net.connect(+port, hostname);
    const chunks = [];
    const t = setTimeout(() => { s.destroy(); reject(new Error('raw request timed out')); }, timeout);
    s.on('connect', () => s.end(text));
    s.on('data', (d) => chunks.push(d));
    s.on('error', (e) => { clearTimeout(t); resolve({ status: 0, error: e.code, headers: {}, body: '' }); });
    s.on('close', () => {
      clearTimeout(t);
      const all = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = all.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const headers = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: +(lines[0].split(' ')[1] || 0), headers, body: rest.join('\r\n\r\n') });
    });
  });
}
const get = (url, path, extra = '') => raw(url, `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}Connection: close\r\n\r\n`);

let srv, secretSha, imgPath, clave;
const C = casillas();

before(async () => {
  srv = await startServer({ users: [{ name: 'dig', role: 'digitalizacion' }, { name: 'aud', role: 'auditor' }] });
  // Operator pages with a symlink that leaves the web root, and a secret outside it.
  const web = join(srv.dir, 'web');
  mkdirSync(join(web, 'sub'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>operación</title>');
  writeFileSync(join(srv.dir, 'secret.txt'), 'SECRETO');
  symlinkSync(join(srv.dir, 'secret.txt'), join(web, 'fuga.txt'));
  symlinkSync(srv.dir, join(web, 'sub', 'arriba'));
  // A corte, so the public site exists.
  const r = prep(['corte', '--data', srv.data]);
  assert.equal(r.code, 0, r.stderr);
  // An image of an acta.
  clave = C[0].clave;
  const png = await qrPng(clave);
  secretSha = sha256(png);
  const up = await srv.req('POST', srv.acta('GUB', clave) + '/imagenes', { token: await srv.as('dig'),
    body: png, headers: { 'Content-Type': 'image/png', 'X-Content-SHA256': secretSha, 'X-Origen': 'CATD' } });
  assert.equal(up.status, 201, String(up.raw));
  imgPath = srv.acta('GUB', clave) + '/imagenes/' + secretSha;
});
after(async () => { await srv.stop(); });

// Everything the store holds, as text: the SQLite files, or a dump of the
// PostgreSQL database (STORES=pg).
function storeText(s) {
  if (s.storeUrl) {
    const r = spawnSync('pg_dump', ['--data-only', s.storeUrl], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  }
  const read = (f) => { try { return readFileSync(join(s.data, f)).toString('latin1'); } catch { return ''; } };
  return read('prep.db') + read('prep.db-wal');
}

function securityHeaders(h, what, { frames = 'none', cache } = {}) {
  const get = (n) => (typeof h.get === 'function' ? h.get(n) : h[n]);
  assert.equal(get('x-content-type-options'), 'nosniff', what);
  assert.equal(get('referrer-policy'), 'no-referrer', what);
  assert.match(get('content-security-policy') || '', new RegExp(`frame-ancestors '${frames}'`), what);
  assert.equal(get('x-frame-options'), frames === 'none' ? 'DENY' : 'SAMEORIGIN', what);
  assert.ok(!get('set-cookie'), `${what}: no cookies`);
  assert.equal(get('access-control-allow-origin') ?? null, null, `${what}: no CORS`);
  if (cache) assert.match(get('cache-control') || '', cache, what);
}

test('security headers on every kind of response', async () => {
  const tok = await srv.as('aud');
  let r = await srv.req('GET', '/api/v1/avance', { token: tok });
  assert.equal(r.status, 200);
  securityHeaders(r.headers, 'API JSON', { cache: /no-store/ });
  r = await srv.req('GET', '/api/v1/session');
  assert.equal(r.status, 401);
  securityHeaders(r.headers, 'API error', { cache: /no-store/ });
  r = await srv.req('POST', '/api/v1/session', { json: '{' });
  assert.equal(r.status, 400);
  securityHeaders(r.headers, 'API 400', { cache: /no-store/ });
  r = await srv.req('GET', '/healthz');
  securityHeaders(r.headers, 'healthz', { cache: /no-store/ });
  r = await srv.req('GET', '/metrics');
  securityHeaders(r.headers, 'metrics', { cache: /no-store/ });
  r = await srv.req('GET', imgPath, { token: tok });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/png');
  securityHeaders(r.headers, 'acta image', { cache: /private/ });
  r = await srv.req('GET', '/');
  assert.equal(r.status, 302);
  securityHeaders(r.headers, 'redirect to the site');
  r = await srv.req('GET', '/cortes/latest/sitio/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  securityHeaders(r.headers, 'public site', { frames: 'self', cache: /no-cache/ });
  assert.match(r.headers.get('content-security-policy'), /script-src 'self'(;|$)/, 'the public site runs no inline script');
  const dirs = readdirSync(join(srv.data, 'cortes')).filter((d) => /^\d/.test(d));
  r = await srv.req('GET', `/cortes/${dirs[0]}/MANIFEST`);
  assert.equal(r.status, 200);
  securityHeaders(r.headers, 'immutable corte file', { frames: 'self', cache: /immutable/ });
  r = await srv.req('GET', '/operacion/');
  assert.equal(r.status, 200);
  securityHeaders(r.headers, 'operator page', { cache: /no-cache/ });
  assert.match(r.headers.get('content-security-policy'), /script-src 'self'/);
  r = await srv.req('GET', '/cortes/no-existe.html');
  assert.equal(r.status, 404);
  securityHeaders(r.headers, '404 page');
  r = await srv.req('DELETE', '/cortes/latest/sitio/');
  assert.equal(r.status, 405);
  securityHeaders(r.headers, '405');
});

test('no path traversal in static files: ../, %2e%2e, encoded slashes, backslashes, symlinks', async () => {
  const ok = await get(srv.url, '/operacion/index.html');
  assert.equal(ok.status, 200);
  const attempts = [
    '/cortes/../prep.db', '/cortes/..%2fprep.db', '/cortes/%2e%2e/prep.db', '/cortes/%2E%2E%2Fprep.db',
    '/cortes/latest/../../prep.db', '/cortes/%252e%252e/prep.db', '/cortes/.%2e/keys/corte.key',
    '/cortes/..\\prep.db', '/cortes/..%5cprep.db', '/operacion/../prep-data/prep.db',
    '/operacion/%2e%2e/secret.txt', '/operacion/fuga.txt', '/operacion/sub/arriba/secret.txt',
    '/operacion/sub/arriba/data/prep.db', '/operacion/%00index.html', '/operacion/index.html%00.png',
    '/cortes//etc/passwd', '/cortes/%2fetc%2fpasswd', '/operacion/.hidden', '/cortes/latest/%2e',
    '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/cortes/latest/sitio/../../../keys/corte.key',
  ];
  for (const p of attempts) {
    const r = await get(srv.url, p);
    assert.ok(r.status === 404 || r.status === 400, `${p}: got ${r.status}`);
    assert.ok(!/SECRETO|SQLite format|PRIVATE|root:x:0/.test(r.body), `${p} leaked: ${r.body.slice(0, 80)}`);
  }
});

test('no path traversal in the image store: names are hashes, files are not followed', async () => {
  const tok = await srv.as('aud');
  const base = srv.acta('GUB', clave) + '/imagenes/';
  for (const name of ['..%2f..%2f..%2fprep.db', '%2e%2e', secretSha.toUpperCase(), secretSha + '%2f..', 'a'.repeat(64) + '/..', '../../../../keys/corte.key']) {
    const r = await raw(srv.url, `GET ${base}${name} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tok}\r\nConnection: close\r\n\r\n`);
    assert.ok([400, 404].includes(r.status), `${name}: got ${r.status}`);
    assert.ok(!/SQLite format|PRIVATE/.test(r.body), `${name} leaked`);
  }
  // An image of another acta is not reachable through this one.
  const r2 = await srv.req('GET', srv.acta('GUB', C[1].clave) + '/imagenes/' + secretSha, { token: tok });
  assert.equal(r2.status, 404);
  // A stored image replaced by a symlink (someone with disk access) is refused, not followed.
  const file = join(srv.data, 'images', secretSha.slice(0, 2), secretSha.slice(2, 4), secretSha);
  const bytes = readFileSync(file);
  unlinkSync(file);
  symlinkSync(join(srv.dir, 'secret.txt'), file);
  const r3 = await srv.req('GET', imgPath, { token: tok });
  assert.equal(r3.status, 503);
  assert.equal(r3.body.error.code, 'io');
  assert.ok(!r3.raw.toString().includes('SECRETO'));
  rmSync(file); writeFileSync(file, bytes);
  assert.equal((await srv.req('GET', imgPath, { token: tok })).status, 200);
});

test('sessions: 256-bit random tokens, stored only as their hash; no cookies anywhere', async () => {
  const tokens = [];
  for (let i = 0; i < 3; i++) {
    const r = await srv.req('POST', '/api/v1/session', { json: { usuario: 'aud', password: 'contraseña-de-prueba-1', estacion: 'e' } });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('set-cookie'), null, 'login sets no cookie');
    assert.match(r.body.token, /^[0-9a-f]{64}$/);
    tokens.push(r.body.token);
  }
  assert.equal(new Set(tokens).size, 3, 'every login gets a new token');
  const db = storeText(srv);
  for (const t of tokens) {
    assert.ok(!db.includes(t), 'the raw token is not in the database');
    assert.ok(db.includes(sha256(Buffer.from(t))), 'its SHA-256 is');
  }
  // A cookie is never a credential: only the Authorization header is.
  const r = await srv.req('GET', '/api/v1/session', { headers: { Cookie: `token=${tokens[0]}; session=${tokens[0]}` } });
  assert.equal(r.status, 401);
  const tampered = tokens[0].slice(0, 63) + (tokens[0][63] === 'a' ? 'b' : 'a');
  assert.equal((await srv.req('GET', '/api/v1/session', { token: tampered })).status, 401);
  assert.equal((await srv.req('GET', '/api/v1/session', { token: tokens[0] })).status, 200);
});

test('body limits: a huge declared length is refused at once, a chunked flood is cut at the limit', async () => {
  const tok = await srv.as('aud');
  const r = await raw(srv.url, `POST /api/v1/trabajo/captura/tomar HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tok}\r\nContent-Type: application/json\r\nContent-Length: 999999999999\r\nConnection: close\r\n\r\n{`);
  assert.equal(r.status, 413);
  assert.equal(JSON.parse(r.body).error.code, 'too_large');
  const chunk = 'x'.repeat(64 * 1024);
  let body = '';
  for (let i = 0; i < 6; i++) body += (chunk.length).toString(16) + '\r\n' + chunk + '\r\n';
  body += '0\r\n\r\n';
  const r2 = await raw(srv.url, `POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body}`);
  assert.equal(r2.status, 413);
  assert.equal((await srv.req('GET', '/healthz')).status, 200);
});

test('header limit: an oversized header block is refused and the server stays up', async () => {
  const big = 'a'.repeat(100 * 1024);
  const r = await raw(srv.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Relleno: ${big}\r\nConnection: close\r\n\r\n`);
  assert.ok(r.status === 431 || r.status === 413 || r.status === 0, `got ${r.status}`);
  const long = '/cortes/' + 'b'.repeat(70 * 1024);
  const r2 = await get(srv.url, long);
  assert.ok([414, 413, 431, 0].includes(r2.status), `long URL: got ${r2.status}`);
  assert.equal((await srv.req('GET', '/healthz')).status, 200);
});

// Open n idle connections (no request yet) and wait until the server has them.
async function idle(url, n) {
  const { port } = new URL(url);
  const socks = [];
  for (let i = 0; i < n; i++) {
    socks.push(await new Promise((res, rej) => { const s = net.connect(+port, '127.0.0.1', () => res(s)); s.on('error', rej); }));
  }
  await new Promise((r) => setTimeout(r, 300));
  return socks;
}

test('connection limits: per server (the rest wait in the backlog) and per client address', async () => {
  // --max-connections is shared among the HTTP threads: 1 thread makes it exact.
  let s = await startServer({ args: ['--max-connections', '3', '--threads', '1'] });
  try {
    const socks = await idle(s.url, 3);
    let done = false;
    const waiting = get(s.url, '/healthz').then((r) => { done = true; return r; });
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(done, false, 'connection 4 is not served while 3 are open');
    for (const k of socks) k.destroy();
    assert.equal((await waiting).status, 200, 'served once the others close');
  } finally { await s.stop(); }
  s = await startServer({ args: ['--max-per-ip', '3'] });
  try {
    const socks = await idle(s.url, 3);
    const r = await get(s.url, '/healthz');
    assert.equal(r.status, 0, 'a 4th connection from the same address is closed at once');
    for (const k of socks) k.destroy();
    await new Promise((res) => setTimeout(res, 300));
    assert.equal((await get(s.url, '/healthz')).status, 200, 'served again once others close');
  } finally { await s.stop(); }
});

test('request rate per client: 429 with Retry-After, per address, recovers', async () => {
  const s = await startServer({ args: ['--rate', '5', '--real-ip-from', '127.0.0.1'] });
  try {
    const as = (ip) => get(s.url, '/healthz', `X-Real-IP: ${ip}\r\n`);
    const codes = [];
    for (let i = 0; i < 40; i++) codes.push((await as('203.0.113.7')).status);
    assert.ok(codes.slice(0, 15).every((c) => c === 200), 'a burst of 4x the rate passes');
    const limited = await as('203.0.113.7');
    assert.equal(limited.status, 429);
    assert.equal(JSON.parse(limited.body).error.code, 'rate_limited');
    assert.ok(+limited.headers['retry-after'] >= 1, 'Retry-After says when');
    securityHeaders(limited.headers, '429');
    assert.equal((await as('198.51.100.9')).status, 200, 'another client behind the proxy has its own bucket');
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal((await as('203.0.113.7')).status, 200, 'the bucket refills');
  } finally { await s.stop(); }
});

// prep serve gzips the public site's text files as deploy/nginx.conf does
// (src/http/static_gzip.c): only when Accept-Encoding allows it, never images,
// the same bytes once decompressed, and Vary so caches keep both apart.
test('public site: gzip when asked for, the same bytes once decompressed', async () => {
  const { gunzipSync } = await import('node:zlib');
  const http = await import('node:http');
  const get = (path, enc) => new Promise((resolve, reject) => {
    const headers = enc === undefined ? {} : { 'Accept-Encoding': enc };
    http.get(srv.url + path, { headers }, (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, raw: Buffer.concat(parts) }));
    }).on('error', reject);
  });
  const dirs = readdirSync(join(srv.data, 'cortes')).filter((d) => /^\d/.test(d));
  const page = `/cortes/${dirs[0]}/sitio/index.html`;
  const onDisk = readFileSync(join(srv.data, 'cortes', dirs[0], 'sitio', 'index.html'));
  assert.ok(onDisk.length > 1024, 'the home page is big enough to be compressed');
  for (const enc of ['gzip', 'gzip, deflate, br', 'br;q=1, gzip;q=0.5', '*']) {
    const r = await get(page, enc);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-encoding'], 'gzip', enc);
    assert.match(r.headers.vary || '', /Accept-Encoding/);
    assert.ok(r.raw.length < onDisk.length / 2, `compressed (${r.raw.length} of ${onDisk.length})`);
    assert.deepEqual(gunzipSync(r.raw), onDisk);
  }
  for (const enc of [undefined, 'identity', 'gzip;q=0', 'br']) {
    const r = await get(page, enc);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-encoding'], undefined, String(enc));
    assert.match(r.headers.vary || '', /Accept-Encoding/);
    assert.deepEqual(r.raw, onDisk);
  }
  // The stylesheet too; images and ZIPs never.
  const css = await get(`/cortes/${dirs[0]}/sitio/estilo.css`, 'gzip');
  assert.equal(css.headers['content-encoding'], 'gzip');
  assert.deepEqual(gunzipSync(css.raw), readFileSync(join(srv.data, 'cortes', dirs[0], 'sitio', 'estilo.css')));
  const zips = readdirSync(join(srv.data, 'cortes', 'paquetes')).filter((f) => f.endsWith('.zip'));
  const z = await get(`/cortes/paquetes/${zips[0]}`, 'gzip');
  assert.equal(z.status, 200);
  assert.equal(z.headers['content-encoding'], undefined);
  assert.equal(z.headers.vary, undefined);
});
