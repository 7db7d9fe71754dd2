// verify_cli.test.mjs — `prep verify` as a person or a difusor runs it: on a
// corte directory and on its package, with the institute's key file or the
// corte's own corte.pub; a changed byte makes it exit 1 naming the file; bad
// arguments are refused. Uses `prep corte` on a fresh data directory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prep, smallCatalog } from './lib/server.mjs';

let dir, data, corte, paquete;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'prep-verify-'));
  data = join(dir, 'data');
  for (const a of [['init', '--data', data], ['catalog', 'load', smallCatalog(), '--data', data]]) {
    const r = prep(a);
    assert.equal(r.code, 0, r.stderr);
  }
  const r = prep(['corte', '--data', data]);
  assert.equal(r.code, 0, r.stderr);
  corte = r.stdout.trim();
  paquete = join(data, 'cortes', 'paquetes', corte.split('/').pop() + '.zip');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a corte and its package verify, and the output says whose key signed them', () => {
  const pub = readFileSync(join(data, 'keys', 'corte.pub'), 'utf8').trim();
  let r = prep(['verify', corte]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /: OK\n/);
  assert.ok(r.stdout.includes(`signed with Ed25519 key ${pub}`), r.stdout);
  assert.match(r.stdout, /corte's own corte\.pub/);
  assert.match(r.stdout, /3 elections/);
  r = prep(['verify', paquete, '--key', join(data, 'keys', 'corte.pub')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /the key given with --key/);
  r = prep(['verify', '--key', pub, corte]);
  assert.equal(r.code, 0, r.stderr);
});

test('a changed byte fails with the file named; restored, it verifies', () => {
  const datos = join(corte, 'datos', 'GUB');
  const csv = join(datos, readdirSync(datos).find((f) => /_GUB_\d{4}\.csv$/.test(f)));
  const orig = readFileSync(csv);
  const bad = Buffer.from(orig);
  bad[bad.length - 3] ^= 1;
  writeFileSync(csv, bad);
  const r = prep(['verify', corte]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /FAILED/);
  assert.match(r.stderr, /datos\/GUB\/\S+\.csv: SHA-256 is [0-9a-f]{64}, the MANIFEST says [0-9a-f]{64}/);
  writeFileSync(csv, orig);
  assert.equal(prep(['verify', corte]).code, 0);
});

test('another key, a missing corte and bad arguments are refused', () => {
  let r = prep(['verify', corte, '--key', 'ab'.repeat(32)]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not the key given/);
  r = prep(['verify', join(dir, '20240602_2000_c0001')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /No such file or directory/);
  r = prep(['verify']);
  assert.notEqual(r.code, 0);
  r = prep(['verify', corte, '--nope']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /unknown option/);
  r = prep(['verify', '--key', 'xyz', corte]);
  assert.notEqual(r.code, 0);
  assert.equal(prep(['verify', '--help']).code, 0);
});
