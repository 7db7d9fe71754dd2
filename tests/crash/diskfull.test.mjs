// diskfull.test.mjs — a full disk under the data directory (a small tmpfs
// mounted for the test; needs root, skipped otherwise). With no space left,
// every write is refused with a 5xx JSON error and a stable code, none is
// acknowledged and lost, a corte fails without a half-written directory or
// a moved `latest`, the bitácora still verifies; once space returns the
// same requests succeed and a corte publishes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, openSync, writeSync, closeSync, rmSync, readlinkSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { casillas } from '../integration/lib/server.mjs';
import { makeData, serve, call, login, actaPath, figures, steps, checkCortes, prep, qrPng, USERS } from './lib/crash.mjs';

const root = process.getuid && process.getuid() === 0;

// Fill the file system of dir until ENOSPC; returns the filler's path.
function fill(dir) {
  const f = join(dir, 'relleno');
  const fd = openSync(f, 'a');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (e) {
    if (e.code !== 'ENOSPC') throw e;
  }
  for (const n of [4096, 512, 1]) {
    try { for (;;) writeSync(fd, block.subarray(0, n)); } catch (e) { if (e.code !== 'ENOSPC') throw e; }
  }
  closeSync(fd);
  return f;
}

test('full disk: clear 5xx errors, nothing acknowledged is lost, nothing corrupted, recovery', { skip: !root && 'needs root to mount a tmpfs' }, async () => {
  const top = mkdtempSync(join(tmpdir(), 'prep-full-'));
  const mnt = join(top, 'mnt');
  mkdirSync(mnt);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mnt], { encoding: 'utf8' });
  assert.equal(m.status, 0, 'mount tmpfs: ' + m.stderr);
  let srv;
  try {
    const data = makeData(join(mnt, 'data'));
    srv = await serve(data);
    const tokens = {};
    for (const u of USERS) tokens[u.name] = await login(srv.url, u.name);
    const C = casillas().slice(0, 8);
    const actas = [];
    for (const c of C) actas.push({ e: 'GUB', clave: c.clave, png: await qrPng(c.clave, { scale: 12 }) });
    for (const a of actas) {
      const r = await call(srv.url, 'GET', actaPath(a.e, a.clave), { token: tokens.aud });
      a.vals = figures(r.body.campos, 7);
      a.steps = steps(a.e, a.clave, a.png, () => a.vals);
      a.done = 0;
    }
    const run = async (a) => {
      const [name, user, build] = a.steps[a.done];
      const q = build();
      const r = await call(srv.url, q.method, q.path, { token: tokens[user], json: q.json, body: q.body, headers: q.headers });
      return { name, r };
    };
    // Half the actas go all the way first, and a corte publishes them.
    for (const a of actas.slice(0, 3)) while (a.done < 5) { const { name, r } = await run(a); assert.ok(r.status < 300, `${name}: ${r.status} ${r.raw}`); a.done++; }
    assert.equal(prep(['corte', '--data', data]).code, 0);
    // The others stop before a different step each: acopio, image, captures, verification.
    for (const [i, a] of actas.slice(3).entries()) while (a.done < i) { const { name, r } = await run(a); assert.ok(r.status < 300, `${name}: ${r.status} ${r.raw}`); a.done++; }
    const latestBefore = readlinkSync(join(data, 'cortes', 'latest'));

    const filler = fill(mnt);
    // Every kind of write now fails, clearly, and none is acknowledged.
    const refusals = {};
    for (const a of actas.slice(3)) {
      for (let i = 0; i < 8 && a.done < 5; i++) {
        const { name, r } = await run(a);
        if (r.status >= 200 && r.status < 300) { a.done++; continue; } // fitted in pages SQLite already had
        assert.ok(r.status >= 500, `${name}: ${r.status} ${r.raw}`);
        assert.equal(r.body?.error?.code, 'no_space', `${name}: stable code, got ${r.raw}`);
        assert.match(r.body.error.message, /space|espacio/i);
        refusals[name] = (refusals[name] || 0) + 1;
        break;
      }
    }
    assert.ok(Object.keys(refusals).length >= 4, 'every kind of write was refused: ' + JSON.stringify(refusals));
    // Reads still work; the corte fails cleanly; the bitácora is intact.
    assert.equal((await call(srv.url, 'GET', '/healthz')).status, 200);
    const c = prep(['corte', '--data', data]);
    assert.notEqual(c.code, 0, 'a corte cannot be written on a full disk');
    assert.match(c.stderr, /space|espacio/i, c.stderr);
    assert.equal(readlinkSync(join(data, 'cortes', 'latest')), latestBefore, 'latest did not move');
    // The failed corte left no false record: no acta published in a corte
    // that does not exist (every one is in the first corte or unpublished).
    const numeros = new Set(readdirSync(join(data, 'cortes')).map((n) => n.match(/^\d{8}_\d{4}_c(\d{4})$/)).filter(Boolean).map((m) => Number(m[1])));
    for (const a of actas) {
      const r = await call(srv.url, 'GET', actaPath(a.e, a.clave), { token: tokens.aud });
      if (r.body.corte) assert.ok(numeros.has(r.body.corte), `${a.clave} published in corte ${r.body.corte}, which does not exist`);
      else assert.notEqual(r.body.estado, 'PUBLICADA', a.clave);
    }
    assert.doesNotMatch(prep(['log', 'show', '--data', data]).stdout, /corte\.publica\s+corte\/2\b/, 'no corte.publica for the failed corte');
    checkCortes(data, { allowTmp: true });
    assert.equal(prep(['log', 'verify', '--data', data]).code, 0, 'the bitácora verifies on a full disk');

    // Space returns: the same requests succeed, and nothing earlier was lost.
    rmSync(filler);
    for (const a of actas) {
      while (a.done < 5) { const { name, r } = await run(a); assert.ok(r.status < 300, `after recovery ${name}: ${r.status} ${r.raw}`); a.done++; }
    }
    const c2 = prep(['corte', '--data', data]);
    assert.equal(c2.code, 0, c2.stderr);
    checkCortes(data);
    for (const a of actas) {
      const r = await call(srv.url, 'GET', actaPath(a.e, a.clave), { token: tokens.aud });
      assert.equal(r.body.estado, 'PUBLICADA', `${a.clave}`);
      assert.equal(r.body.corte, a.done === 5 && actas.indexOf(a) < 3 ? 1 : 2, `${a.clave}: the failed attempt's number is used by the corte that worked`);
      assert.deepEqual(r.body.valores, a.vals);
    }
    await srv.stop();
    srv = null;
    const v = prep(['log', 'verify', '--data', data]);
    assert.equal(v.code, 0, v.stderr);
    console.log('# refused on the full disk: ' + JSON.stringify(refusals));
  } finally {
    if (srv) await srv.kill();
    spawnSync('umount', [mnt]);
    if (!existsSync(join(mnt, 'data'))) rmSync(top, { recursive: true, force: true });
  }
});
