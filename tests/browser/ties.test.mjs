// ties.test.mjs — what a party sees of a tie, in headless Chromium: the
// small drill with `--ties GUB,DIP_LOC:1,ALC:2:2` (first place tied in GUB and in
// distrito 1, second place tied in demarcación 2), then `prep serve` on its
// data and a reader on the public site: GUB and distrito 1 announce Empate and
// mark both candidaturas, demarcación 2 does not (a tie for second is shown
// by equal votes only, docs/empates.md). Screenshots in tests/browser/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREP } from '../integration/lib/server.mjs';
import { startNode } from '../integration/lib/cluster.mjs';
import { launch, shot } from './lib/browser.mjs';

// prep simulate never uses PREP_TEST_STORE: on the PostgreSQL pass these
// tests would repeat the SQLite pass exactly, so they are skipped there.
const onPg = !!process.env.PREP_TEST_STORE;
const sqliteOnly = (name, fn) => test(name, { skip: onPg && 'drills and printing always run on SQLite (prep simulate makes its own store): covered by the SQLite pass' }, fn);

const tmp = mkdtempSync(join(tmpdir(), 'prep-ties-'));
const data = join(tmp, 'data');
let node, browser;

before(async () => {
  if (onPg) return;
  const r = spawnSync(PREP, ['simulate', '--preset', 'small', '--data', data, '--small-images',
    '--ties', 'GUB,DIP_LOC:1,ALC:2:2'], { encoding: 'utf8', timeout: 600000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  node = await startNode(data);
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (node) await node.stop();
  rmSync(tmp, { recursive: true, force: true });
});

// The candidaturas table: [name, votes, marked as tied] per row, in order.
async function rows(page) {
  return page.locator('table.votos tbody tr').evaluateAll((trs) => trs.map((tr) => [
    tr.querySelector('th').innerText.replace(/\s*Empate$/, '').trim(),
    tr.querySelectorAll('td')[1].innerText.trim(), tr.classList.contains('en-empate')]));
}

sqliteOnly('a first-place tie says Empate and marks both candidaturas, in ballot order', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(node.url + '/');
  await page.getByRole('link', { name: 'JEFATURA DE GOBIERNO', exact: true }).first().click();
  await page.waitForURL(/\/GUB\/09\/index\.html$/);
  const empate = page.locator('p.empate');
  assert.equal(await empate.count(), 1, 'the GUB total announces the tie');
  assert.match(await empate.innerText(), /^Empate: .+ y .+/);
  const marked = (await rows(page)).filter((r) => r[2]);
  assert.ok(marked.length >= 2, 'both tied candidaturas are marked: ' + JSON.stringify(marked));
  assert.ok(marked.every((r) => r[1] === marked[0][1]), 'with the same votes: ' + JSON.stringify(marked));
  await empate.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('site-empate-jg'), fullPage: true });

  await page.goto(node.url + '/cortes/latest/sitio/DIP_LOC/09/distrito/1.html');
  assert.equal(await page.locator('p.empate').count(), 1, 'distrito 1 announces its tie');
  await page.screenshot({ path: shot('site-empate-distrito'), fullPage: true });
  await page.close();
});

sqliteOnly('a tie for second place is shown by equal votes, without the Empate legend', async () => {
  const page = await browser.newPage();
  await page.goto(node.url + '/cortes/latest/sitio/ALC/09/demarcacion/2.html');
  assert.equal(await page.locator('p.empate').count(), 0, 'Empate is for first place only');
  const r = await rows(page);
  assert.ok(r.length >= 3, JSON.stringify(r));
  assert.equal(r[1][1], r[2][1], 'second and third have the same votes: ' + JSON.stringify(r));
  assert.notEqual(r[0][1], r[1][1], 'first place is ahead');
  await page.screenshot({ path: shot('site-empate-segundo'), fullPage: true });
  await page.close();
});
