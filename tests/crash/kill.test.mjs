// kill.test.mjs — nothing acknowledged is lost to kill -9. Operators drive
// the life of actas (acopio, image, two captures, verification) through the
// API while `prep corte` runs beside them; `prep serve` (and sometimes the
// corte) is SIGKILLed at random moments, several times, and started again on
// the same data. Every write that got a 2xx is then found in the acta, the
// bitácora chain verifies, no corte directory is half-written, and the work
// completes: a last corte publishes every acta with exactly its figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { casillas } from '../integration/lib/server.mjs';
import { makeData, serve, call, login, actaPath, figures, steps, ORDER, STATE_AFTER,
  checkCortes, prep, qrPng, USERS } from './lib/crash.mjs';

const KILLS = 4;
const WORKERS = 4;
// Seeded randomness, so a failure can be replayed (the seed is printed).
const seed = Number(process.env.CRASH_SEED || Date.now() % 100000);
let rs = seed;
const debug = process.env.CRASH_DEBUG ? (...a) => console.error('#', ...a) : () => {};
const rand = () => { rs = (rs * 1103515245 + 12345) % 2147483648; return rs / 2147483648; };

test(`SIGKILL of prep serve during writes and cortes loses no acknowledged write (seed ${seed})`, async () => {
  const data = makeData();
  const C = casillas().slice(0, 40);
  const elecciones = ['GUB', 'DIP_LOC', 'ALC'];
  const actas = [];
  for (const c of C) for (const e of elecciones) actas.push({ e, clave: c.clave, png: await qrPng(c.clave), step: 0 });
  const acked = [];   // {e, clave, step} of every 2xx
  let srv = await serve(data);
  const tokens = {};
  for (const u of USERS) tokens[u.name] = await login(srv.url, u.name);

  // The figures of an acta, read from its campos once (the truth).
  async function truth(a) {
    if (a.vals) return a.vals;
    const r = await call(srv.url, 'GET', actaPath(a.e, a.clave), { token: tokens.aud });
    if (r.status !== 200) return null;
    a.vals = figures(r.body.campos, actas.indexOf(a) + 3);
    return a.vals;
  }

  // One worker: take the next acta with steps left, do its next step; a
  // failure (server gone) is retried later, as a phone would.
  let running = true;
  async function worker() {
    while (running) {
      const a = actas.find((x) => x.step < 5 && !x.busy);
      if (!a) { await new Promise((r) => setTimeout(r, 20)); continue; }
      a.busy = true;
      try {
        if (!(await truth(a))) { await new Promise((r) => setTimeout(r, 50)); continue; }
        const [name, user, build] = steps(a.e, a.clave, a.png, () => a.vals)[a.step];
        const req = build();
        const r = await call(srv.url, req.method, req.path, { token: tokens[user], json: req.json, body: req.body, headers: req.headers });
        if (r.status >= 200 && r.status < 300) {
          acked.push({ e: a.e, clave: a.clave, name });
          a.step++;
        } else if (r.status !== 0 && r.status < 500) {
          throw new Error(`${name} ${a.e} ${a.clave}: ${r.status} ${r.raw}`);
        } else {
          debug(name, a.e, a.clave, r.status, r.error || String(r.raw).slice(0, 100));
          await new Promise((res) => setTimeout(res, 30));
        }
      } finally { a.busy = false; }
    }
  }

  // Cortes run beside the server; some are killed too.
  let cortes = 0, cortesKilled = 0;
  async function corteLoop() {
    while (running) {
      const child = spawn(process.env.PREP_BIN, ['corte', '--data', data], { stdio: 'ignore' });
      const done = new Promise((res) => child.on('exit', (code, sig) => res({ code, sig })));
      if (rand() < 0.3) setTimeout(() => child.kill('SIGKILL'), 50 + rand() * 400);
      const e = await done;
      if (e.sig === 'SIGKILL') cortesKilled++;
      else if (e.code === 0) cortes++;
      await new Promise((r) => setTimeout(r, 200 + rand() * 300));
    }
  }

  // Every write acknowledged before the kill is there after the restart.
  async function checkAcked(list) {
    const need = new Map();
    for (const w of list) {
      const k = w.e + ' ' + w.clave;
      need.set(k, Math.max(need.get(k) ?? 0, ORDER.indexOf(STATE_AFTER[w.name])));
    }
    for (const [k, min] of need) {
      const [e, clave] = k.split(' ');
      const r = await call(srv.url, 'GET', actaPath(e, clave), { token: tokens.aud });
      assert.equal(r.status, 200, `${k}: ${r.status}`);
      assert.ok(ORDER.indexOf(r.body.estado) >= min, `${k}: ${r.body.estado}, but ${ORDER[min]} was acknowledged`);
    }
    checked += list.length;
  }
  let checked = 0;

  const workers = Array.from({ length: WORKERS }, worker);
  const cl = corteLoop();
  // Whatever fails below, the loops and the server stop with the test.
  try {
  // Kill when a random share of the writes is acknowledged (and at least
  // 250 ms after the last start), so kills land inside the work, not after.
  const total = actas.length * 5;
  const marks = Array.from({ length: KILLS }, () => 0.1 + rand() * 0.8).sort();
  for (let k = 0; k < KILLS; k++) {
    await new Promise((r) => setTimeout(r, 250 + rand() * 250));
    const since = Date.now();
    while (acked.length < marks[k] * total) {
      if (srv.child.exitCode !== null || srv.child.signalCode !== null) throw new Error('prep serve died by itself: ' + srv.stderr);
      if (Date.now() - since > 30000) throw new Error(`no progress for 30 s (${acked.length} of ${total} writes acknowledged)`);
      await new Promise((r) => setTimeout(r, 5 + rand() * 20));
    }
    debug('kill', k, 'acked', acked.length);
    await srv.kill();
    const before = acked.slice();
    checkCortes(data, { allowTmp: true }); // never half-written, even right after a kill
    srv = await serve(data);
    await checkAcked(before);
    debug('restarted and checked', before.length);
  }
  // Let the work finish, then stop everything.
  const t0 = Date.now();
  while (actas.some((a) => a.step < 5) && Date.now() - t0 < 40000) await new Promise((r) => setTimeout(r, 100));
  running = false;
  await Promise.all([...workers, cl]);
  assert.ok(actas.every((a) => a.step === 5), `the work completes (${actas.filter((a) => a.step < 5).length} actas left)`);
  assert.ok(acked.length >= actas.length * 5, 'every step was acknowledged once');

  // One more kill with everything done, then the final state.
  await srv.kill();
  srv = await serve(data);
  for (const a of actas) {
    const r = await call(srv.url, 'GET', actaPath(a.e, a.clave), { token: tokens.aud });
    assert.equal(r.status, 200);
    const need = ORDER.indexOf(STATE_AFTER.verificacion);
    assert.ok(ORDER.indexOf(r.body.estado) >= need, `${a.e} ${a.clave}: ${r.body.estado} after an acknowledged verification`);
    assert.deepEqual(r.body.valores, a.vals, `${a.e} ${a.clave}: the acknowledged figures`);
    assert.ok(r.body.imagenes.some((im) => im.activa), `${a.e} ${a.clave}: its image`);
  }
  const log = prep(['log', 'verify', '--data', data]);
  assert.equal(log.code, 0, 'bitácora chain: ' + log.stderr + log.stdout);
  // The work then completes: a last corte publishes every acta.
  const last = prep(['corte', '--data', data]);
  assert.equal(last.code, 0, last.stderr);
  const n = checkCortes(data);
  for (const a of actas) {
    const r = await call(srv.url, 'GET', actaPath(a.e, a.clave), { token: tokens.aud });
    assert.equal(r.body.estado, 'PUBLICADA', `${a.e} ${a.clave} is published`);
  }
  await srv.stop();
  assert.equal(prep(['log', 'verify', '--data', data]).code, 0);
  console.log(`# seed ${seed}: ${KILLS + 1} kills of prep serve, ${acked.length} acknowledged writes, ` +
    `${checked} checked after restarts, ${cortes} cortes during the run (${cortesKilled} killed), ${n} whole corte directories`);
  } finally {
    running = false;
    if (srv.child.exitCode === null && srv.child.signalCode === null) await srv.kill();
    await Promise.all([...workers, cl]);
  }
});
