// nginx.test.mjs — deploy/nginx.conf as shipped (through deploy/nginx-try.sh)
// in front of a real `prep serve` with a published corte: "/" sends readers
// to the latest site; corte files, images and packages are immutable for a
// year, `latest`, feed.json and feed.sig are revalidated; hidden files
// (.tmp-*, .lock) are never served; bytes equal prep serve's own; /api/ and
// /healthz are proxied.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, prep } from './lib/server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let srv, ng, out, dir;

function freePort() {
  return new Promise((res) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
}

before(async () => {
  srv = await startServer();
  const r = prep(['corte', '--data', srv.data]);
  assert.equal(r.code, 0, r.stderr);
  dir = r.stdout.trim().split('/').pop();
  out = mkdtempSync(join(tmpdir(), 'prep-nginx-'));
  const port = await freePort();
  const t = spawnSync(join(root, 'deploy', 'nginx-try.sh'), [srv.data, String(port), new URL(srv.url).host, out], { encoding: 'utf8' });
  assert.equal(t.status, 0, t.stderr);
  ng = { pid: +t.stdout.trim(), url: `http://127.0.0.1:${port}` };
});
after(async () => {
  if (ng) process.kill(ng.pid, 'SIGTERM');
  if (srv) await srv.stop();
  if (out) rmSync(out, { recursive: true, force: true });
});

const get = (path, opts) => fetch(ng.url + path, { redirect: 'manual', ...opts });

test('/ goes to the latest site, not cached', async () => {
  const r = await get('/');
  assert.equal(r.status, 302);
  assert.match(r.headers.get('location'), /\/cortes\/latest\/sitio\/$/);
  assert.equal(r.headers.get('cache-control'), 'no-cache');
  const s = await get('/cortes/latest/sitio/');
  assert.equal(s.status, 200);
  assert.match(s.headers.get('content-type'), /text\/html; charset=utf-8/);
  assert.equal(s.headers.get('cache-control'), 'no-cache');
});

test('immutable corte files for a year, the moving parts revalidated', async () => {
  const year = 'public, max-age=31536000, immutable';
  for (const p of [`/cortes/${dir}/sitio/estilo.css`, `/cortes/${dir}/MANIFEST`, `/cortes/${dir}/corte.json`,
    `/cortes/paquetes/${dir}.zip`]) {
    const r = await get(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers.get('cache-control'), year, p);
    // The same bytes prep serve gives.
    const a = Buffer.from(await r.arrayBuffer());
    const b = Buffer.from(await (await fetch(srv.url + p)).arrayBuffer());
    assert.ok(a.equals(b), p);
  }
  for (const p of ['/cortes/feed.json', '/cortes/feed.sig', '/cortes/latest/corte.json']) {
    const r = await get(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers.get('cache-control'), 'no-cache', p);
    const direct = await fetch(srv.url + p);
    assert.equal(direct.headers.get('cache-control'), 'no-cache', 'prep serve agrees: ' + p);
  }
  const missing = await get(`/cortes/${dir}/no-such-file.json`);
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('cache-control'), null, 'a 404 is never cached for a year');
});

test('hidden files are never served; pages are compressed', async () => {
  for (const p of ['/cortes/.lock', `/cortes/.tmp-${dir}/MANIFEST`, '/cortes/latest/.x']) assert.equal((await get(p)).status, 404, p);
  const r = await get(`/cortes/${dir}/sitio/GUB/09/index.html`, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(r.headers.get('content-encoding'), 'gzip');
});

test('/api/ and /healthz are proxied to prep serve', async () => {
  const h = await get('/healthz');
  assert.equal(h.status, 200);
  const body = await h.json();
  assert.equal(body.status, 'ok');
  assert.equal(body.binario, (await (await fetch(srv.url + '/healthz')).json()).binario);
  const a = await get('/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.ok(a.status >= 400 && a.status < 500, 'prep serve refused it: ' + a.status);
  assert.match(a.headers.get('content-type'), /json/);
  assert.match(readFileSync(join(out, 'prep.conf'), 'utf8'), new RegExp(`root ${srv.data.replace(/[/.]/g, '\\$&')};`));
});
