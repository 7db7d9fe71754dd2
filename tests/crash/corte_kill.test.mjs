// corte_kill.test.mjs — a corte is one unit under kill -9. `prep corte` is
// SIGKILLed right after each of its steps (PREP_CORTE_KILL_AT) while
// `prep serve` runs beside it: no acta is ever marked published in a corte
// whose directory does not exist, the bitácora says `corte.publica` only for
// cortes that exist, and the next run (or the server's start) records a
// corte whose directory was complete, marking exactly its actas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { casillas } from '../integration/lib/server.mjs';
import { makeData, serve, call, login, actaPath, figures, steps, checkCortes, prep, qrPng, USERS } from './lib/crash.mjs';

const STEPS = ['snapshot', 'files', 'manifest', 'rename', 'package', 'latest', 'record'];

// corte numbers named by `corte.publica` entries of the bitácora.
function publicaEntries(data) {
  const r = prep(['log', 'show', '--data', data]);
  assert.equal(r.code, 0, r.stderr);
  return [...r.stdout.matchAll(/corte\.publica\s+corte\/(\d+)/g)].map((m) => Number(m[1]));
}

// corte number -> directory, from DATA/cortes.
function corteDirs(data) {
  const m = new Map();
  for (const n of readdirSync(join(data, 'cortes'))) {
    const x = n.match(/^\d{8}_\d{4}_c(\d{4})$/);
    if (x) m.set(Number(x[1]), n);
  }
  return m;
}

test('SIGKILL after each step of a corte leaves no false record', async () => {
  const data = makeData();
  let srv = await serve(data);
  try { await run(); } finally { await srv.kill(); }
  async function run() {
    const tokens = {};
    for (const u of USERS) tokens[u.name] = await login(srv.url, u.name);
    const C = casillas().slice(0, 2 * (STEPS.length + 1));
    const done = [];
    async function verifyActas(list) {
      for (const c of list) {
        const a = { e: 'GUB', clave: c.clave, png: await qrPng(c.clave) };
        const r0 = await call(srv.url, 'GET', actaPath(a.e, a.clave), { token: tokens.aud });
        const vals = figures(r0.body.campos, 5);
        for (const [name, user, build] of steps(a.e, a.clave, a.png, () => vals)) {
          const q = build();
          const r = await call(srv.url, q.method, q.path, { token: tokens[user], json: q.json, body: q.body, headers: q.headers });
          assert.ok(r.status < 300, `${name} ${a.clave}: ${r.status} ${r.raw}`);
        }
        done.push(a);
      }
    }
    // Every acta is either unpublished or published in a corte that exists,
    // and the bitácora's corte.publica entries name existing cortes only.
    async function noFalseRecord(label) {
      const dirs = corteDirs(data);
      const states = {};
      for (const a of done) {
        const r = await call(srv.url, 'GET', actaPath(a.e, a.clave), { token: tokens.aud });
        states[a.clave] = r.body;
        if (r.body.corte) assert.ok(dirs.has(r.body.corte), `${label}: ${a.clave} published in corte ${r.body.corte}, which does not exist`);
        else assert.equal(r.body.estado, 'VERIFICADA', `${label}: ${a.clave}`);
      }
      for (const n of publicaEntries(data)) assert.ok(dirs.has(n), `${label}: bitácora says corte ${n} published, it does not exist`);
      assert.equal(prep(['log', 'verify', '--data', data]).code, 0, `${label}: bitácora verifies`);
      checkCortes(data, { allowTmp: true });
      return states;
    }

    await verifyActas(C.slice(0, 2));
    assert.equal(prep(['corte', '--data', data]).code, 0);
    for (const [i, step] of STEPS.entries()) {
      await verifyActas(C.slice(2 + 2 * i, 4 + 2 * i));
      const k = spawnSync(process.env.PREP_BIN, ['corte', '--data', data], {
        env: { ...process.env, PREP_CORTE_KILL_AT: step }, encoding: 'utf8' });
      assert.equal(k.signal, 'SIGKILL', `killed after ${step}: ${k.status} ${k.stderr}`);
      const st = await noFalseRecord(`killed after ${step}`);
      // Before the store's transaction nothing is marked; after it, both are.
      const fresh = done.slice(-2).map((a) => st[a.clave].estado);
      assert.deepEqual(fresh, step === 'record' ? ['PUBLICADA', 'PUBLICADA'] : ['VERIFICADA', 'VERIFICADA'], step);
      // Odd steps: the server's restart recovers; even: the next corte does.
      if (i % 2) {
        await srv.kill();
        srv = await serve(data);
        for (const u of USERS) tokens[u.name] = await login(srv.url, u.name);
        await noFalseRecord(`restart after ${step}`);
      }
      const c = prep(['corte', '--data', data]);
      assert.equal(c.code, 0, c.stderr);
      const after = await noFalseRecord(`corte after ${step}`);
      for (const a of done) assert.equal(after[a.clave].estado, 'PUBLICADA', `${step}: ${a.clave}`);
      checkCortes(data);
      assert.ok(!readdirSync(join(data, 'cortes')).some((n) => n.startsWith('.publica-')), 'no publication list left');
    }
    // Each corte that exists was announced once, in order.
    const pub = publicaEntries(data);
    assert.deepEqual(pub, [...corteDirs(data).keys()].sort((x, y) => x - y));
    assert.ok(existsSync(join(data, 'cortes', 'latest')));
  }
});
