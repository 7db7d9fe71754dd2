// pg_replica.test.mjs — deploy/postgresql/ works as written: runs
// scripts/pg-replica-test.sh (a primary with primary.conf and a synchronous
// streaming replica with replica.conf, PREP writing on the primary, the
// replica read-only, then promoted and taking PREP's writes with the chain
// intact). Runs only when the suite is on PostgreSQL (PREP_TEST_STORE).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PREP } from './lib/server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('primary + synchronous replica from deploy/postgresql, then failover', { skip: !process.env.PREP_TEST_STORE }, () => {
  const r = spawnSync(join(root, 'scripts/pg-replica-test.sh'), [],
    { encoding: 'utf8', timeout: 180000, env: { ...process.env, PREP_BIN: PREP } });
  assert.equal(r.status, 0, `exit ${r.status} ${r.signal || ''}\n${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /^replica: OK \(sync standby, \d+ entries replicated, promoted: bitácora OK/m);
});
