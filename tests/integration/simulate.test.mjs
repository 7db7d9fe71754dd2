// simulate.test.mjs — `prep simulate --preset small` end to end: a fresh
// data directory is initialised with the small catálogo, the drill runs
// through a real `prep serve`, the final corte equals the truth, every
// injected fault ended as it must, and the report is written. Then the
// drill must FAIL when a bug is injected: an acta that must be counted is
// never scanned (drop-scan), or a published value is changed (tamper-csv).
// Refusals: a used data directory, an unknown preset or fault mix.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREP, prep } from './lib/server.mjs';

// prep simulate never uses PREP_TEST_STORE: on the PostgreSQL pass these
// tests would repeat the SQLite pass exactly, so they are skipped there.
const onPg = !!process.env.PREP_TEST_STORE;
const sqliteOnly = (name, fn) => test(name, { skip: onPg && 'drills and printing always run on SQLite (prep simulate makes its own store): covered by the SQLite pass' }, fn);

const tmp = mkdtempSync(join(tmpdir(), 'prep-sim-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function simulate(name, args = [], env = {}) {
  const data = join(tmp, name);
  const r = spawnSync(PREP, ['simulate', '--preset', 'small', '--data', data, ...args], {
    encoding: 'utf8', timeout: 600000, env: { ...process.env, ...env },
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, data };
}

function reportOf(data) {
  const base = join(data, 'simulacros');
  const dirs = readdirSync(base).filter((d) => d.includes('-semilla'));
  assert.equal(dirs.length, 1, 'one report directory');
  return join(base, dirs[0]);
}

function noSanitizerReport(r, dir) {
  assert.doesNotMatch(r.stderr, /AddressSanitizer|runtime error:|LeakSanitizer/);
  if (dir && existsSync(join(dir, 'servidor.log')))
    assert.doesNotMatch(readFileSync(join(dir, 'servidor.log'), 'utf8'),
      /AddressSanitizer|runtime error:|LeakSanitizer/);
}

sqliteOnly('small drill, heavy faults: the final corte equals the truth and every fault ends as it must', () => {
  const r = simulate('ok', ['--faults', 'heavy', '--ties', 'DIP_LOC:1,ALC:2:2,GUB']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /simulacro OK: \d+ actas registered, final corte equal to the truth/);
  const dir = reportOf(r.data);
  noSanitizerReport(r, dir);
  for (const f of ['informe.md', 'informe.json', 'fases.svg', 'cortes.svg', 'operadores.svg'])
    assert.ok(existsSync(join(dir, f)), f);
  const j = JSON.parse(readFileSync(join(dir, 'informe.json'), 'utf8'));
  assert.equal(j.resultado, 'OK');
  assert.equal(j.comparacion.diferencias, 0);
  assert.equal(j.inesperados.total, 0);
  // 296 casillas × 3 elections; everything that arrived was verified.
  assert.equal(j.volumen.actas_esperadas, 888);
  assert.ok(j.volumen.actas_verificadas > 780);
  assert.ok(j.comparacion.campos > 30000, 'field by field');
  // Every kind of fault was injected at least once and none went wrong.
  assert.equal(j.fallas_inyectadas.length, 14);
  for (const f of j.fallas_inyectadas) {
    assert.ok(f.inyectadas > 0, `${f.falla} injected`);
    assert.equal(f.mal, 0, `${f.falla} ended wrong`);
    assert.equal(f.bien, f.inyectadas, f.falla);
  }
  // An intermediate corte, then the final one with everything in it.
  assert.ok(j.cortes.length >= 2);
  const fin = j.cortes[j.cortes.length - 1];
  assert.equal(fin.final, true);
  assert.ok(existsSync(fin.directorio));
  // --ties: the public site of the final corte shows the ties asked for.
  const site = (p) => JSON.parse(readFileSync(join(fin.directorio, 'sitio', 'json', p), 'utf8'));
  const dip = site('DIP_LOC/09/distrito/1.json').candidaturas;
  assert.equal(dip.empate, true);
  assert.equal(dip.lista[0].votos, dip.lista[1].votos);
  assert.equal(site('GUB/09/entidad.json').candidaturas.empate, true);
  const alc = site('ALC/09/demarcacion/2.json').candidaturas;
  assert.equal(alc.empate, false);
  assert.ok(alc.lista[0].votos > alc.lista[1].votos);
  assert.equal(alc.lista[1].votos, alc.lista[2].votos);
  assert.ok(j.cortes[0].elecciones.GUB.capturadas_pct < fin.elecciones.GUB.capturadas_pct);
  assert.ok(j.discrepancias.actas > 0 && j.discrepancias.tasa_pct > 0);
  assert.ok(j.latencia.desde_acopio.p50_s > 0);
  assert.ok(j.latencia.desde_acopio.p95_s >= j.latencia.desde_acopio.p50_s);
  const md = readFileSync(join(dir, 'informe.md'), 'utf8');
  assert.match(md, /^# Informe del simulacro — OK/);
  assert.match(md, /\*\*0 diferencias\*\*/);
  assert.match(readFileSync(join(dir, 'fases.svg'), 'utf8'), /^<svg [^>]*xmlns/);
  // The drill went through the real API: the bitácora is intact, the
  // drill's accounts are there, and a second drill on the same data refuses.
  const lv = prep(['log', 'verify', '--data', r.data]);
  assert.equal(lv.code, 0, lv.stderr);
  const again = simulate('ok');
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already has actas recorded.*use a new --data/);
  reportOf(r.data); // still the one report: the refused drill wrote none
  // --check (after a simulacro en papel) compares a corte with the truth of
  // the same seed, faults and ties; any other truth gives differences.
  const latest = join(r.data, 'cortes', 'latest');
  const same = simulate('ok', ['--faults', 'heavy', '--ties', 'DIP_LOC:1,ALC:2:2,GUB', '--check', latest]);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout, /equal to the truth of seed 1 \(\d+ rows, \d+ fields\)/);
  const other = simulate('ok', ['--faults', 'heavy', '--ties', 'DIP_LOC:1,ALC:2:2,GUB', '--seed', '2', '--check', latest]);
  assert.equal(other.code, 1);
  assert.match(other.stderr, /FAILED: \d+ differences between the corte and the truth/);
  const empty = simulate('empty-check', ['--check', latest]);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /is empty: --check needs the data directory/);
  reportOf(r.data); // --check writes no report
});

sqliteOnly('a counted acta that is never scanned makes the drill fail (drop-scan)', () => {
  const r = simulate('drop', ['--small-images'], { PREP_SIM_TEST: 'drop-scan' });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /FAILED: \d+ differences/);
  assert.match(r.stderr, /\(fila\): expected publicada, published falta/);
  const dir = reportOf(r.data);
  noSanitizerReport(r, dir);
  const j = JSON.parse(readFileSync(join(dir, 'informe.json'), 'utf8'));
  assert.equal(j.resultado, 'FALLA');
  assert.ok(j.comparacion.primeras.some((d) => d.campo === '(fila)' && d.publicado === 'falta'));
  assert.ok(j.comparacion.primeras.some((d) => d.campo === 'ACTAS_CAPTURADAS'));
});

sqliteOnly('a published value changed on the way makes the drill fail (tamper-csv)', () => {
  const r = simulate('tamper', ['--small-images', '--faults', 'none'], { PREP_SIM_TEST: 'tamper-csv' });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /FAILED: \d+ differences/);
  assert.match(r.stderr, /expected (\d+), published (\d+)/);
  const [, want, got] = r.stderr.match(/expected (\d+), published (\d+)/);
  assert.equal(+got, +want + 1);
  noSanitizerReport(r, reportOf(r.data));
});

sqliteOnly('refusals: unknown preset, fault mix, test fault; nothing is created', () => {
  let r = simulate('bad1', ['--faults', 'some']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--faults is none, default or heavy/);
  r = spawnSync(PREP, ['simulate', '--preset', 'huge', '--data', join(tmp, 'bad2')], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--preset is small, cdmx or national/);
  r = simulate('bad3', [], { PREP_SIM_TEST: 'drop-everything' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /PREP_SIM_TEST is drop-scan or tamper-csv/);
  for (const d of ['bad1', 'bad2', 'bad3']) assert.equal(existsSync(join(tmp, d)), false);
  r = spawnSync(PREP, ['simulate', '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /usage: prep simulate --preset small\|cdmx\|national/);
});
