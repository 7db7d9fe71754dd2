// pg_restore.test.mjs — the PostgreSQL backup is restorable: a running
// server's store is backed up online (deploy/postgresql/backup.sh), restored
// into a brand-new cluster (a second scripts/pg-test.sh) with restore.sh, and
// the restored copy has the same bitácora head, a chain that verifies, the
// same acta counts, and still refuses edits of the bitácora. Runs only when
// the suite is on PostgreSQL (PREP_TEST_STORE).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, casillas, prep, PREP } from './lib/server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const onPg = !!process.env.PREP_TEST_STORE;
let srv, work;

before(async () => {
  if (!onPg) return;
  work = mkdtempSync(join(tmpdir(), 'prep-bk-'));
  srv = await startServer({ users: [{ name: 'aco', role: 'acopio' }] });
});
after(async () => {
  if (srv) await srv.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('backup of a running server restores into a fresh cluster, chain and counts intact', { skip: !onPg }, async () => {
  const token = await srv.as('aco');
  const C = casillas().slice(0, 7);
  for (const c of C) {
    const r = await srv.req('POST', srv.acta('GUB', c.clave) + '/acopio', { token });
    assert.equal(r.status, 200);
  }
  const bk = join(work, 'backup');
  let r = spawnSync(join(root, 'deploy/postgresql/backup.sh'), [srv.data, bk], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const before = prep(['status', '--json', '--data', srv.data]);
  assert.equal(before.code, 0, before.stderr);
  const headBefore = prep(['log', 'verify', '--data', srv.data]);
  assert.equal(headBefore.code, 0, headBefore.stderr);

  // A second, separate cluster: restore there, then read it back before it goes away.
  const restored = join(work, 'restored');
  const script = `set -e
    psql "$PREP_TEST_STORE" -qc "CREATE DATABASE restaurada"
    url="\${PREP_TEST_STORE%/*}/restaurada"
    PREP="$PREP_BIN" "${root}/deploy/postgresql/restore.sh" "${bk}" "$url" "${restored}" > "${work}/restore.out"
    "$PREP_BIN" status --json --data "${restored}" > "${work}/status.json"
    "$PREP_BIN" log verify --data "${restored}" > "${work}/verify.out"
    if psql "$url" -qc "UPDATE bitacora SET accion = 'x'" 2>/dev/null; then echo "bitacora editable" >&2; exit 1; fi
    echo "$url" > "${work}/url"`;
  r = spawnSync(join(root, 'scripts/pg-test.sh'), ['bash', '-c', script],
    { encoding: 'utf8', env: { ...process.env, PREP_BIN: PREP } });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(JSON.parse(readFileSync(join(work, 'status.json'), 'utf8')), JSON.parse(before.stdout));
  assert.equal(readFileSync(join(work, 'verify.out'), 'utf8'), headBefore.stdout);
  const n = +(headBefore.stdout.match(/OK: (\d+) entries/) || [])[1];
  assert.ok(n >= 8, 'init, catalog, user, session and 7 acopios: ' + headBefore.stdout);
  const status = JSON.parse(before.stdout);
  assert.ok(JSON.stringify(status).includes('"ACOPIADA":7'), JSON.stringify(status));
  const newUrl = readFileSync(join(work, 'url'), 'utf8').trim();
  assert.notEqual(newUrl, readFileSync(join(srv.data, 'store.url'), 'utf8').trim(), 'restored into another cluster');
  assert.equal(readFileSync(join(restored, 'store.url'), 'utf8').trim(), newUrl);
  assert.equal(readFileSync(join(restored, 'keys', 'corte.pub')).length > 0, true, 'signing key restored');
});
