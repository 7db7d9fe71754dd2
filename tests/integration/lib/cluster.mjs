// cluster.mjs — the several-node topology on loopback, for cluster.test.mjs
// and bench/bench_load.sh: one data directory on PostgreSQL (a fresh
// database on PREP_TEST_STORE, from scripts/pg-test.sh), N `prep serve`
// nodes on it (each on its own free port, all sharing the directory's
// images/ and cortes/), and Debian's nginx as a non-daemon on a free port
// with a config generated from deploy/nginx-cluster.conf's shape. It does
// not create accounts or actas: the tests and the drill do.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREP, prep, storeFor, PASSWORD } from './server.mjs';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) || null;

export async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
  });
}

function waitLine(child, re, what, ms = 20000) {
  let out = '', err = '';
  child.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not start: ${err}`)), ms);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(re);
      if (m) { clearTimeout(t); resolve(m); }
    });
    child.on('exit', (code) => { clearTimeout(t); reject(new Error(`${what} exited ${code}: ${err}`)); });
  });
}

// The nginx config of the test: the same locations as deploy/nginx-cluster.conf,
// with loopback ports and every path nginx writes under dir.
export function nginxConfig({ dir, port, nodes, site }) {
  const asRoot = process.getuid && process.getuid() === 0;
  return `${asRoot ? 'user root root;\n' : ''}daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  types { text/html html; application/json json; image/svg+xml svg; text/css css;
          application/javascript js; text/csv csv; application/zip zip; image/png png; image/jpeg jpg; }
  upstream prep_nodes {
${nodes.map((n) => `    server ${n} max_fails=1 fail_timeout=2s;`).join('\n')}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 16m;
    location /api/ {
      proxy_pass http://prep_nodes;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout;
      proxy_read_timeout 120s;
    }
    location = /healthz { proxy_pass http://prep_nodes; proxy_http_version 1.1; proxy_set_header Connection ""; }
    location /operacion/ { proxy_pass http://prep_nodes; proxy_http_version 1.1; proxy_set_header Connection ""; }
    location / {
      root ${site};
      index index.html;
      try_files $uri $uri/ =404;
    }
  }
}
`;
}

export async function startNginx({ nodes, site }) {
  if (!NGINX) throw new Error('nginx is not installed (scripts/debian-packages.txt lists it)');
  const dir = mkdtempSync(join(tmpdir(), 'prep-nginx-'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig({ dir, port, nodes, site }));
  const t = spawnSync(NGINX, ['-t', '-p', dir, '-c', conf, '-e', join(dir, 'error.log')], { encoding: 'utf8' });
  if (t.status !== 0) throw new Error('nginx -t: ' + t.stderr);
  const child = spawn(NGINX, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((res) => child.on('exit', (code, sig) => res({ code, sig })));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {            // nginx prints nothing when it is up: poll its port
    try { await fetch(url + '/healthz'); break; } catch (e) {
      if (i > 100 || child.exitCode !== null) throw new Error('nginx did not start: ' + e.message);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url, dir, child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGQUIT'); // graceful
      const to = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(to);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A data directory on a fresh PostgreSQL database with the small catálogo
// (the same one `prep simulate --preset small` generates with seed 1).
export function clusterData({ users = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'prep-cluster-'));
  const data = join(dir, 'data');
  const store = storeFor();
  const cat = join(dir, 'catalogo');
  for (const a of [['init', '--data', data, ...store.args],
    ['catalog', 'gen', '--preset', 'small', '--seed', '1', '--out', cat, '--force'],
    ['catalog', 'load', cat, '--data', data]]) {
    const r = prep(a);
    if (r.code !== 0) throw new Error(`prep ${a.join(' ')}: ${r.stderr}`);
  }
  for (const u of users) {
    const a = ['user', 'add', u.name, '--role', u.role, '--password-stdin', '--data', data];
    if (u.catd) a.push('--catd', String(u.catd));
    const r = prep(a, PASSWORD + '\n');
    if (r.code !== 0) throw new Error(`user add ${u.name}: ${r.stderr}`);
  }
  mkdirSync(join(data, 'cortes'), { recursive: true });
  return { dir, data, done() { rmSync(dir, { recursive: true, force: true }); store.drop(); } };
}

// One `prep serve` node on data; stop() fails on an unclean exit or a sanitizer report.
export async function startNode(data, { args = [] } = {}) {
  const child = spawn(PREP, ['serve', '--data', data, '--listen', '127.0.0.1:0', '--rate', '0',
    '--corte-every', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((res) => child.on('exit', (code, sig) => res({ code, sig })));
  const m = await waitLine(child, /listening on (http:\/\/(\S+))/, 'prep serve');
  return {
    url: m[1], hostport: m[2], child,
    get stderr() { return stderr; },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15000);
      const e = await exited;
      clearTimeout(t);
      if (e.code !== 0) throw new Error(`prep serve exited with ${e.code ?? e.sig}: ${stderr}`);
      if (/AddressSanitizer|runtime error:|LeakSanitizer/.test(stderr)) throw new Error('sanitizer: ' + stderr);
    },
  };
}

// JSON over HTTP against base.
export async function call(base, method, path, { token, json, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = 'Bearer ' + token;
  let body;
  if (json !== undefined) { body = JSON.stringify(json); h['Content-Type'] = 'application/json'; }
  const res = await fetch(base + path, { method, headers: h, body });
  const text = await res.text();
  let parsed = null;
  try { parsed = JSON.parse(text); } catch { parsed = null; }
  return { status: res.status, body: parsed, text };
}

export async function login(base, usuario, estacion = 'nodo') {
  const r = await call(base, 'POST', '/api/v1/session', { json: { usuario, password: PASSWORD, estacion } });
  if (r.status !== 201) throw new Error(`login ${usuario}: ${r.status} ${r.text}`);
  return r.body.token;
}
