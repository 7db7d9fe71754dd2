// audit.test.mjs — `prep audit` on databases published by a real corte: actas
// taken through the HTTP API of `prep serve` (ordinary, with an Ilegible
// field, over the lista nominal, every field Ilegible, sin acta, fuera de
// catálogo), then `prep corte`; the audit of its results CSV and of its ZIP
// must be consistent (exit 0), an edited copy must show each planted
// difference (exit 1), and unreadable files must be refused (exit 2) with
// the line and the reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { startServer, casillas, qrPng, sha256, valores, prep } from './lib/server.mjs';

let srv, csvPath, zipPath, csvText;
// The small preset publishes in IECM's form: LF line ends, no BOM.
const EOL = '\n';
const C = casillas();

async function post(user, path, json) {
  return srv.req('POST', path, { token: await srv.as(user), json });
}

// Take one GUB acta from image to VERIFICADA with the given values.
async function publish(clave, make) {
  const p = srv.acta('GUB', clave);
  const png = await qrPng(clave);
  let r = await srv.req('POST', p + '/imagenes', {
    token: await srv.as('dig'), body: png,
    headers: { 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(png), 'X-Origen': 'CATD' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const acta = (await srv.req('GET', p, { token: await srv.as('cap1') })).body;
  const vals = make(acta);
  for (const u of ['cap1', 'cap2']) {
    r = await post(u, p + '/capturas', { valores: vals });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  r = await post('ver', p + '/verificacion', { resultado: 'acepta' });
  assert.equal(r.body.acta.estado, 'VERIFICADA');
}

function audit(args) { return prep(['audit', ...args]); }

// A ZIP of stored (uncompressed) entries: [[name, Buffer|string], ...].
function makeZip(entries) {
  const locals = [], centrals = [];
  let off = 0;
  for (const [name, body] of entries) {
    const data = Buffer.from(body), n = Buffer.from(name), crc = crc32(data);
    const l = Buffer.alloc(30);
    l.writeUInt32LE(0x04034b50, 0); l.writeUInt16LE(20, 4); l.writeUInt32LE(crc, 14);
    l.writeUInt32LE(data.length, 18); l.writeUInt32LE(data.length, 22); l.writeUInt16LE(n.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(20, 4); c.writeUInt16LE(20, 6); c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(data.length, 20); c.writeUInt32LE(data.length, 24); c.writeUInt16LE(n.length, 28);
    c.writeUInt32LE(off, 42);
    locals.push(l, n, data);
    centrals.push(c, n);
    off += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals), e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0); e.writeUInt16LE(entries.length, 8); e.writeUInt16LE(entries.length, 10);
  e.writeUInt32LE(cd.length, 12); e.writeUInt32LE(off, 16);
  return Buffer.concat([...locals, cd, e]);
}

before(async () => {
  srv = await startServer({ users: [
    { name: 'aco', role: 'acopio' }, { name: 'dig', role: 'digitalizacion' },
    { name: 'cap1', role: 'captura' }, { name: 'cap2', role: 'captura' },
    { name: 'ver', role: 'verificacion' },
  ] });
  const ordinary = C.filter((c) => c.tipo !== 'S');
  await publish(ordinary[0].clave, (a) => valores(a, 3));
  await publish(ordinary[1].clave, (a) => { const v = valores(a, 2); v[4] = 'Ilegible'; return v; });
  await publish(ordinary[2].clave, (a) => valores(a, 900));                       // over the LN
  await publish(ordinary[3].clave, (a) => a.campos.map((c) => (c.aplica ? 'Ilegible' : '-')));
  const especial = C.find((c) => c.tipo === 'S');
  if (especial) await publish(especial.clave, (a) => valores(a, 5));
  let r = await post('aco', srv.acta('GUB', ordinary[4].clave) + '/sin-acta', { motivo: 'casilla_no_instalada' });
  assert.equal(r.status, 200);
  r = await post('aco', '/api/v1/elecciones/GUB/fuera-catalogo', { identificacion: '099999B0100' });
  assert.equal(r.status, 201);
  const c = prep(['corte', '--data', srv.data, '--json']);
  assert.equal(c.code, 0, c.stderr);
  const dir = JSON.parse(c.stdout).directorio;
  const datos = join(dir, 'datos');
  csvPath = join(datos, 'GUB', readdirSync(join(datos, 'GUB')).find((f) => /_GUB_\d{4}\.csv$/.test(f)));
  zipPath = join(datos, readdirSync(datos).find((f) => /_PREP_GUB_.*\.zip$/.test(f)));
  csvText = readFileSync(csvPath, 'utf8');
});
after(async () => { await srv.stop(); });

test('the corte\'s own results CSV and ZIP are consistent', () => {
  let r = audit([csvPath]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /resultado: consistente/);
  assert.match(r.stdout, /leído como: UTF-8, separador ','/); // IECM form: no BOM
  assert.match(r.stdout, /filas: +7 \(fuera de catálogo 1, sin acta 1, casillas especiales 1, aún no recibidas 0\)|filas: +6 \(fuera de catálogo 1, sin acta 1, casillas especiales 0, aún no recibidas 0\)/);
  r = audit([zipPath]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\.zip:.*_GUB_\d{4}\.csv/, 'names the CSV inside the ZIP');
  r = audit(['--json', csvPath]);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.consistent, true);
  assert.equal(j.differences, 0);
  assert.equal(j.fuera_catalogo, 1);
  assert.equal(j.sin_acta, 1);
  const contab = j.summary.find((s) => s.field === 'ACTAS_CONTABILIZADAS');
  assert.equal(contab.published, contab.recomputed);
  assert.equal(contab.recomputed, j.especiales ? '3' : '2', 'ordinary + Ilegible (+ especial)');
  const zj = JSON.parse(audit(['--json', zipPath]).stdout);
  assert.ok(Array.isArray(zj) && zj.length === 1 && zj[0].consistent);
});

test('the same corte audited as the final one: the other participación formula, explained', () => {
  const r = audit(['--final', '--json', csvPath]);
  const j = JSON.parse(r.stdout);
  if (j.especiales === 0) return; // C_CS = S_CS: both formulas agree
  assert.equal(r.code, 0, 'a formula is a convention, not a difference');
  assert.equal(j.differences, 0);
  const c = j.conventions.find((x) => x.name === 'participacion');
  assert.deepEqual(c.lines, [5]);
  assert.match(c.detail, /quite --final/);
});

function planted(edit) {
  const f = csvPath.replace(/\.csv$/, '.planted.csv');
  writeFileSync(f, edit(csvText));
  return f;
}

test('planted differences are found, each with its line', () => {
  const lines = csvText.split(EOL);
  const row = lines.findIndex((l) => l.includes('EXCEDE LISTA NOMINAL'));
  assert.ok(row > 6);
  // The acta over the lista nominal published as contabilizada.
  let f = planted(() => lines.map((l, i) => (i === row ? l.replace(',"EXCEDE LISTA NOMINAL",0,', ',"EXCEDE LISTA NOMINAL",1,') : l)).join(EOL));
  let r = audit(['--json', f]);
  assert.equal(r.code, 1, r.stderr);
  let j = JSON.parse(r.stdout);
  assert.equal(j.by_kind.contabilizada, 1);
  assert.equal(j.list.find((d) => d.kind === 'contabilizada').line, row + 1);
  // A summary field changed.
  f = planted(() => lines.map((l, i) => {
    if (i !== 4) return l;
    const v = l.split(',');
    v[11] = String(+v[11] + 1); // TOTAL_VOTOS_S_CS
    return v.join(',');
  }).join(EOL));
  r = audit([f]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /línea 5: TOTAL_VOTOS_S_CS '\d+', recalculado '\d+': las filas dan/);
  // A hash cut short and a duplicated row.
  const dupe = lines[7];
  f = planted(() => [...lines.slice(0, 8), dupe, ...lines.slice(8)].join(EOL).replace(/,([0-9a-f]{64}),/, (m, h) => `,${h.slice(0, 40)},`));
  j = JSON.parse(audit(['--json', f]).stdout);
  assert.equal(j.by_kind.hash, 1);
  assert.equal(j.by_kind.duplicate, 1);
  assert.equal(j.list.find((d) => d.kind === 'duplicate').line, 9);
});

test('a ZIP holding several databases: each audited, the worst status wins', () => {
  const f = csvPath.replace(/\.csv$/, '.several.zip');
  const broken = csvText.split(EOL).slice(0, 4).join(EOL);
  writeFileSync(f, makeZip([['A_CANDIDATURAS_2024.csv', 'x'], ['A_2024.csv', broken],
    ['B_2024.csv', csvText], ['LEEME.txt', 'leeme']]));
  let r = audit(['--json', f]);
  assert.equal(r.code, 2, 'one of them cannot be read');
  assert.match(r.stderr, /A_2024\.csv: el archivo termina después de los nombres del resumen/);
  const j = JSON.parse(r.stdout);
  assert.equal(j.length, 1);
  assert.match(j[0].file, /several\.zip:B_2024\.csv$/);
  assert.equal(j[0].consistent, true);
  writeFileSync(f, makeZip([['A_2024.csv', csvText], ['B_2024.csv', csvText.replace(/,1,,([0-9a-f]{64})/, ',0,,$1')]]));
  r = audit([f]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /A_2024\.csv[\s\S]*resultado: consistente[\s\S]*B_2024\.csv[\s\S]*diferencia/);
});

test('files that cannot be read exit 2 with the line and the reason', () => {
  let r = audit(['/nonexistent/file.csv']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no se puede abrir/);
  const lines = csvText.split(EOL);
  let f = planted(() => lines.slice(0, 4).join(EOL));
  r = audit([f]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /termina después de los nombres del resumen/);
  f = planted(() => lines.map((l, i) => (i === 8 ? l + ',x' : l)).join(EOL));
  r = audit([f]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /línea 9: \d+ campos, pero los nombres de columna \(línea 7\) son \d+/);
  f = csvPath.replace(/\.csv$/, '.broken.zip');
  writeFileSync(f, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(20)]));
  r = audit([f]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no es un ZIP legible/);
  r = audit(['--bogus', csvPath]);
  assert.equal(r.code, 2);
  r = audit(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--max-boletas-especial/);
});

test('the worked example of docs/audit.md says what the doc says', () => {
  const ex = join(import.meta.dirname, '..', '..', 'docs', 'examples', 'audit-example.csv');
  const r = audit(['--json', ex]);
  assert.equal(r.code, 1, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.by_kind, { summary: 8, total: 0, contabilizada: 1, observaciones: 1,
    duplicate: 0, time_order: 1, timestamp: 0, hash: 0, value: 0 });
  assert.equal(j.list.find((d) => d.kind === 'contabilizada').line, 11);
  assert.equal(j.summary.find((s) => s.field === 'PORCENTAJE_PARTICIPACION_CIUDADANA').recomputed, '70.2040');
  assert.equal(audit(['--max-boletas-especial', '750', ex]).code, 1);
  assert.equal(JSON.parse(audit(['--json', '--max-boletas-especial', '750', ex]).stdout).unknown_limit, 0);
});
