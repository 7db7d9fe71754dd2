// audit_drill.test.mjs — `prep audit` of every corte of one of our own
// drills, intermediate and final, with every fault of the drill injected
// (heavy: actas over the lista nominal, illegible fields, sin acta, fuera de
// catálogo, PREP Casilla photos captured before their acopio, ...): our own
// publication must always be consistent (exit 0), in CSV and in ZIP, and
// follows no convention but the process's own and the IECM form's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
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
});
