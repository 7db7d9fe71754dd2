// audit_drill.test.mjs — `prep audit` of every corte of one of our own
// drills, intermediate and final, with every fault of the drill injected
// (heavy: actas over the lista nominal, illegible fields, sin acta, fuera de
// catálogo, PREP Casilla photos captured before their acopio, ...): our own
// publication must always be consistent (exit 0), in CSV and in ZIP, and
// follows no convention but the process's own and the IECM form's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { PREP, prep } from './lib/server.mjs';

const onPg = !!process.env.PREP_TEST_STORE;
const tmp = mkdtempSync(join(tmpdir(), 'prep-audit-drill-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// Conventions our own cortes may show: the process itself (PREP Casilla), and
// what the small preset publishes because it follows IECM's form
// (docs/publication.md): no total on an acta without numbers, and only the
// deciding reason in OBSERVACIONES.
const OURS = new Set(['captura_antes_de_acopio_casilla', 'total_sin_numero', 'razon_principal']);

test('every corte of a drill with every fault audits consistent', { skip: onPg && 'drills run on SQLite (prep simulate makes its own store): covered by the SQLite pass' }, () => {
  const data = join(tmp, 'd');
  const r = spawnSync(PREP, ['simulate', '--preset', 'small', '--data', data, '--faults', 'heavy',
    '--corte-every', '1', '--seed', '7'], { encoding: 'utf8', timeout: 600000 });
  assert.equal(r.status, 0, r.stderr);
  const base = join(data, 'cortes');
  const cortes = readdirSync(base).filter((d) => /_c\d{4}$/.test(d) && statSync(join(base, d)).isDirectory()).sort();
  assert.ok(cortes.length >= 3, `intermediate cortes and the final one (${cortes.length})`);
  let audited = 0;
  cortes.forEach((c, i) => {
    const final = i === cortes.length - 1 ? ['--final'] : [];
    const datos = join(base, c, 'datos');
    const files = [];
    for (const e of readdirSync(datos)) {
      if (e.endsWith('.zip')) files.push(join(datos, e));
      else if (statSync(join(datos, e)).isDirectory())
        for (const f of readdirSync(join(datos, e)))
          if (f.endsWith('.csv') && !f.includes('CANDIDATURAS')) files.push(join(datos, e, f));
    }
    assert.ok(files.length >= 6, `${c}: three CSVs and three ZIPs`);
    for (const f of files) {
      const a = prep(['audit', ...final, '--json', f]);
      assert.equal(a.code, 0, `${c} ${f}: ${a.stdout.slice(0, 2000)} ${a.stderr}`);
      for (const rep of [JSON.parse(a.stdout)].flat()) {
        assert.equal(rep.differences, 0);
        assert.equal(rep.pendientes, 0, 'we never list actas not yet received');
        for (const conv of rep.conventions) assert.ok(OURS.has(conv.name), `${c}: ${conv.name}`);
        audited++;
      }
    }
  });
  assert.ok(audited >= 6 * cortes.length);

  // The small preset publishes as IECM does: its ZIP names, the three files
  // in each ZIP in IECM's order, and the results CSV's layout line by line
  // (lines 1-7 against IECM's real 2024 file in tests/fixtures/iecm-2024).
  const last = join(base, cortes[cortes.length - 1], 'datos');
  const zips = readdirSync(last).filter((f) => f.endsWith('.zip')).sort();
  assert.equal(zips.length, 3);
  for (const z of zips) assert.match(z, /^\d{8}_\d{4}_PREP_(GUB|DIP_LOC|ALC)_CDMX\.zip$/);
  const gub = zips.find((z) => z.includes('_GUB_'));
  const l = spawnSync('unzip', ['-Z1', join(last, gub)], { encoding: 'utf8' });
  assert.deepEqual(l.stdout.trim().split('\n'), ['CDMX_GUB_2024.csv', 'CDMX_GUB_CANDIDATURAS_2024.csv', 'leeme.txt']);
  const ours = readFileSync(join(last, 'GUB', 'CDMX_GUB_2024.csv'), 'utf8');
  const iecm = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'iecm-2024', 'CDMX_GUB_2024.head.csv'), 'utf8');
  assert.ok(!ours.startsWith('\ufeff') && !ours.includes('\r'), 'no BOM, LF as IECM');
  const [o, w] = [ours.split('\n'), iecm.split('\n')];
  assert.equal(o[0], w[0], 'election line');
  assert.match(o[1], /^"\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\(UTC-6\)"$/, 'corte line as IECM writes it');
  for (const i of [2, 3, 5, 6]) assert.equal(o[i], w[i], `line ${i + 1}`);
  const row = o[7].split(',');
  assert.match(row[0], /^09\d{4}[BCES]\d{4}$/, 'a bare clave');
  assert.match(o[7], /,"\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} \(UTC-6\)",/, 'timestamps with (UTC-6)');
});
