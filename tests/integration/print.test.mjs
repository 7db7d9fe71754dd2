// print.test.mjs — `prep simulate --preset small --print DIR`, the paper
// drill's actas: one PDF per acta that exists on paper (sin acta paquetes
// and fuera de catálogo only in the index), an index whose SHA-256 are the
// files', the same bytes on a second run, and a printed sheet that, scanned
// (pdftoppm, poppler-utils) and sent to a real `prep serve` as the scan of
// its acta, passes the server's QR check — and is refused as another
// casilla's. Refusals: --print with --url.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREP, startServer, casillas, sha256 } from './lib/server.mjs';

// prep simulate never uses PREP_TEST_STORE: on the PostgreSQL pass these
// tests would repeat the SQLite pass exactly, so they are skipped there.
const onPg = !!process.env.PREP_TEST_STORE;
const sqliteOnly = (name, fn) => test(name, { skip: onPg && 'drills and printing always run on SQLite (prep simulate makes its own store): covered by the SQLite pass' }, fn);

const tmp = mkdtempSync(join(tmpdir(), 'prep-print-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function printSet(name, extra = []) {
  const out = join(tmp, name);
  const r = spawnSync(PREP, ['simulate', '--preset', 'small', '--data', join(tmp, name + '-data'),
    '--print', out, ...extra], { encoding: 'utf8', timeout: 300000 });
  return { ...r, out };
}

function readIndex(dir) {
  const lines = readFileSync(join(dir, 'indice.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0], 'ELECCION,CLAVE_CASILLA,CATD,ARCHIVO,SHA256,SITUACION');
  return lines.slice(1).map((l) => {
    const [eleccion, clave, catd, archivo, sha, situacion] = l.split(',');
    return { eleccion, clave, catd: +catd, archivo, sha, situacion };
  });
}

let first;
before(() => {
  if (onPg) return;
  first = printSet('a');
  assert.equal(first.status, 0, first.stderr);
  assert.doesNotMatch(first.stderr, /AddressSanitizer|runtime error:|LeakSanitizer/);
});

sqliteOnly('a directory that is not empty is refused: no stale acta mixes with a new set', () => {
  const r = spawnSync(PREP, ['simulate', '--preset', 'small', '--data', join(tmp, 'a-data'),
    '--print', first.out], { encoding: 'utf8', timeout: 300000 });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /is not empty: print into a new directory/);
  const file = join(tmp, 'a-file');
  writeFileSync(file, 'not a directory\n');
  const f = spawnSync(PREP, ['simulate', '--preset', 'small', '--data', join(tmp, 'a-data'),
    '--print', file], { encoding: 'utf8', timeout: 300000 });
  assert.notEqual(f.status, 0);
  assert.match(f.stderr, /a-file exists and is not a directory/);
  assert.equal(readFileSync(file, 'utf8'), 'not a directory\n', 'the file is left as it was');
});

sqliteOnly('one PDF per acta on paper, every acta of the truth in the index, SHA-256 of each file', () => {
  const rows = readIndex(first.out);
  const C = casillas();
  const elecciones = [...new Set(rows.map((r) => r.eleccion))];
  assert.deepEqual(elecciones, ['GUB', 'DIP_LOC', 'ALC']);
  const printed = rows.filter((r) => r.archivo);
  const sinActa = rows.filter((r) => r.situacion.startsWith('sin_acta:'));
  const fuera = rows.filter((r) => r.situacion === 'fuera_catalogo');
  assert.ok(sinActa.length > 0 && fuera.length > 0, 'the default mix has both');
  assert.equal(printed.length + sinActa.length, elecciones.length * C.length, 'each casilla once per election');
  assert.equal(rows.length, printed.length + sinActa.length + fuera.length);
  for (const r of [...sinActa, ...fuera]) assert.equal(r.archivo + r.sha, '', 'nothing printed for ' + r.clave);
  const m = first.stdout.match(/printed (\d+) actas/);
  assert.ok(m, first.stdout);
  assert.equal(+m[1], printed.length);
  let files = 0;
  for (const e of elecciones) files += readdirSync(join(first.out, e)).filter((f) => f.endsWith('.pdf')).length;
  assert.equal(files, printed.length, 'no PDF more or less than the index lists');
  for (const r of printed) {
    assert.equal(r.archivo, `${r.eleccion}/${r.clave}.pdf`);
    const pdf = readFileSync(join(first.out, r.archivo));
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.equal(sha256(pdf), r.sha, r.archivo);
  }
});

sqliteOnly('the same seed prints the same bytes; another seed does not', () => {
  const again = printSet('b');
  assert.equal(again.status, 0, again.stderr);
  assert.equal(readFileSync(join(again.out, 'indice.csv'), 'utf8'), readFileSync(join(first.out, 'indice.csv'), 'utf8'));
  const other = printSet('c', ['--seed', '2']);
  assert.equal(other.status, 0, other.stderr);
  assert.notEqual(readFileSync(join(other.out, 'indice.csv'), 'utf8'), readFileSync(join(first.out, 'indice.csv'), 'utf8'));
});

sqliteOnly('a printed acta, scanned, passes the server\'s QR check for its casilla and no other', async () => {
  const rows = readIndex(first.out).filter((r) => r.eleccion === 'DIP_LOC' && r.archivo);
  const [mine, other] = [rows[0], rows[rows.length - 1]];
  const png = join(tmp, 'scan');
  const r = spawnSync('pdftoppm', ['-r', '150', '-gray', '-png', '-singlefile', join(first.out, mine.archivo), png]);
  assert.equal(r.status, 0, 'pdftoppm (poppler-utils): ' + (r.error || r.stderr));
  const img = readFileSync(png + '.png');
  const srv = await startServer({ users: [{ name: 'dig', role: 'digitalizacion' }] });
  try {
    const send = async (clave) => srv.req('POST', srv.acta('DIP_LOC', clave) + '/imagenes', {
      token: await srv.as('dig'), body: img,
      headers: { 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(img), 'X-Origen': 'CATD' },
    });
    const wrong = await send(other.clave);
    assert.equal(wrong.status, 409);
    assert.match(wrong.body.error.message, new RegExp(`names casilla ${mine.clave}, not ${other.clave}`));
    const ok = await send(mine.clave);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  } finally {
    await srv.stop();
  }
});

sqliteOnly('--print runs no drill: it refuses --url', () => {
  const r = printSet('d', ['--url', 'http://127.0.0.1:1']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--print only prepares and prints/);
});
