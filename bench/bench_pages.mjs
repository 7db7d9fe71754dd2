// bench_pages.mjs — what the operator pages' reads cost at CDMX scale, as
// ratios against GET /api/v1/avance measured in the same run (the machine
// is shared and noisy). A real prep serve with the cdmx catálogo (13,458
// casillas × 3 elections); BENCH_ACTAS GUB actas (default 4000) are given an
// image and two captures through the API (one in ten disagrees and gets a
// third capture). Then, BENCH_REPS times in turn: avance (its 1 s cache let
// expire first), monitoreo (non-default threshold: never cached) and
// casillas for a central user (every casilla × 3 states). Medians printed;
// the numbers go into docs/benchmarks.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prep, PASSWORD, sha256, qrPng } from '../tests/integration/lib/server.mjs';

const N = Number(process.env.BENCH_ACTAS || 4000), REPS = Number(process.env.BENCH_REPS || 5);
const dir = mkdtempSync(join(tmpdir(), 'prep-bench-pages-'));
const data = join(dir, 'data'), cat = join(dir, 'cat');
const must = (args, input) => { const r = prep(args, input); if (r.code !== 0) throw new Error(args.join(' ') + ': ' + r.stderr); return r; };
must(['init', '--data', data]);
must(['catalog', 'gen', '--preset', 'cdmx', '--out', cat]);
must(['catalog', 'load', cat, '--data', data]);
for (const [u, rol] of [['dig', 'digitalizacion'], ['c1', 'captura'], ['c2', 'captura'], ['c3', 'captura'], ['mon', 'monitor']])
  must(['user', 'add', u, '--role', rol, '--password-stdin', '--data', data], PASSWORD + '\n');
const child = spawn(process.env.PREP_BIN || 'build/prep', ['serve', '--data', data, '--listen', '127.0.0.1:0', '--rate', '0', '--corte-every', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((res) => { let o = ''; child.stdout.on('data', (d) => { o += d; const m = o.match(/listening on (http:\/\/\S+)/); if (m) res(m[1]); }); });
try {
  const tok = {};
  for (const u of ['dig', 'c1', 'c2', 'c3', 'mon']) {
    const r = await fetch(url + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ usuario: u, password: PASSWORD, estacion: 'bench' }) });
    tok[u] = (await r.json()).token;
  }
  const call = async (u, method, path, body, headers = {}) => {
    const r = await fetch(url + path, { method, headers: { Authorization: 'Bearer ' + tok[u], ...headers }, body });
    const t = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${t}`);
    return t;
  };
  const claves = (await (await fetch(url + '/api/v1/casillas', { headers: { Authorization: 'Bearer ' + tok.mon } })).json()).casillas.slice(0, N).map((c) => c.clave);
  const campos = JSON.parse(await call('mon', 'GET', `/api/v1/elecciones/GUB/actas/${claves[0]}`)).campos;
  const vals = (k) => campos.map((c, i) => (c.aplica ? (i * 7 + k) % 50 : '-'));
  const t0 = Date.now();
  let next = 0;
  const trabajador = async () => {
    for (let i = next++; i < claves.length; i = next++) {
      const p = `/api/v1/elecciones/GUB/actas/${claves[i]}`, png = await qrPng(claves[i], { scale: 3 });
      await call('dig', 'POST', p + '/imagenes', png, { 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(png), 'X-Origen': 'CATD' });
      const cap = (u, k) => call(u, 'POST', p + '/capturas', JSON.stringify({ valores: vals(k) }), { 'Content-Type': 'application/json' });
      await cap('c1', 1);
      await cap('c2', i % 10 === 0 ? 2 : 1);
      if (i % 10 === 0) await cap('c3', 1);
    }
  };
  await Promise.all(Array.from({ length: 16 }, trabajador));
  console.log(`populated ${claves.length} GUB actas (image + 2 or 3 captures) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const time = async (path) => { const a = performance.now(); await call('mon', 'GET', path); return performance.now() - a; };
  const t = { avance: [], monitoreo: [], casillas: [] };
  for (let k = 0; k < REPS; k++) {
    await sleep(1100);
    t.avance.push(await time('/api/v1/avance'));
    t.monitoreo.push(await time(`/api/v1/monitoreo?atascada_min=${29 - (k % 2)}`));
    t.casillas.push(await time('/api/v1/casillas'));
  }
  const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
  const ref = med(t.avance);
  const m = JSON.parse(await call('mon', 'GET', '/api/v1/monitoreo?atascada_min=27'));
  if (m.capturistas.find((c) => c.nombre === 'c2').perdidas !== Math.ceil(claves.length / 10)) throw new Error('monitoreo counted wrong: ' + JSON.stringify(m.capturistas));
  for (const [k, v] of Object.entries(t))
    console.log(`${k.padEnd(10)} median ${med(v).toFixed(1).padStart(8)} ms   vs avance ${(med(v) / ref).toFixed(2)}   (reps: ${v.map((x) => x.toFixed(0)).join(' ')})`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
