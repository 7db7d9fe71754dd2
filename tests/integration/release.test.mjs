// release.test.mjs — scripts/release.sh refuses what is not a release: a
// dirty tree, a VERSION other than src/util/version.h's, a version the
// release notes still mark unreleased or do not have. Run in a throwaway
// clone of this repository (its own commits, never this checkout's tags).
// The path that tags (two reproducible builds) is not run here: CI already
// runs scripts/repro-check.sh on every commit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'prep-release-'));
const repo = join(tmp, 'repo');
const git = (...a) => spawnSync('git', ['-C', repo, ...a], { encoding: 'utf8' });
const release = (...a) => spawnSync(join(repo, 'scripts', 'release.sh'), a, { encoding: 'utf8', cwd: repo });
let version;

before(() => {
  assert.equal(spawnSync('git', ['clone', '-q', root, repo]).status, 0);
  git('config', 'user.email', 'test@prep'); git('config', 'user.name', 'test');
  version = readFileSync(join(repo, 'src/util/version.h'), 'utf8').match(/PREP_VERSION "([^"]+)"/)[1];
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('refusals: bad VERSION, another version than the code, unreleased notes, no notes, dirty tree', () => {
  let r = release('1.2');
  assert.equal(r.status, 1); assert.match(r.stderr, /VERSION is X\.Y\.Z/);
  r = release('99.0.0');
  assert.equal(r.status, 1); assert.match(r.stderr, /version\.h says .*, not 99\.0\.0/);
  const log = join(repo, 'CHANGELOG.md'), notes = readFileSync(log, 'utf8');
  writeFileSync(log, notes.replace(new RegExp(`^## ${version.replace(/\./g, '\\.')} .*$`, 'm'), `## ${version} — first prototype (unreleased)`));
  git('commit', '-qam', 'unreleased');
  r = release(version);
  assert.equal(r.status, 1); assert.match(r.stderr, /still marks .* as unreleased/);
  writeFileSync(log, notes.replace(new RegExp(`^## ${version.replace(/\./g, '\\.')} .*$\\n`, 'm'), ''));
  git('commit', '-qam', 'no notes');
  r = release(version);
  assert.equal(r.status, 1); assert.match(r.stderr, /has no '## .* — \.\.\.' section/);
  writeFileSync(log, notes + '\nuncommitted\n');
  r = release(version);
  assert.equal(r.status, 1); assert.match(r.stderr, /uncommitted changes/);
  assert.equal(git('tag').stdout, '', 'no tag was made');
});
