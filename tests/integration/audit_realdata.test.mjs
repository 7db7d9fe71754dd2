// audit_realdata.test.mjs — `prep audit` on databases that real institutes
// published (tests/fixtures/realdata, sources in its SOURCES.txt): each must
// give exactly the differences and conventions of expected.json, which were
// written from reading the rows by hand. The same files re-encoded (UTF-8 with
// and without BOM, Latin-1), with other line ends (CRLF, LF, bare CR) and with
// every field quoted must give the same result; copies in which a few clean
// rows were made inconsistent (votes over lista nominal + representantes and
// still contabilizada, a wrong TOTAL_VOTOS_CALCULADO) must show exactly those
// rows, and nothing else new.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { prep } from './lib/server.mjs';

const dir = join(import.meta.dirname, '..', 'fixtures', 'realdata');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
const tmp = mkdtempSync(join(tmpdir(), 'prep-realdata-'));
const KINDS = ['summary', 'total', 'contabilizada', 'observaciones', 'duplicate', 'time_order',
  'timestamp', 'hash', 'value'];

const audit = (args) => prep(['audit', ...args]);

function reports(stdout) {
  const j = JSON.parse(stdout);
  return Array.isArray(j) ? j : [j];
}

// What a report says, in the shape of expected.json.
function summarise(r) {
  const by = {}, conv = {}, lines = {};
  for (const k of KINDS) if (r.by_kind[k]) by[k] = r.by_kind[k];
  for (const c of r.conventions) conv[c.name] = c.count;
  for (const d of r.list) (lines[d.kind] ||= []).push(d.line);
  return { by, conv, lines };
}

function check(r, want, label) {
  const s = summarise(r);
  assert.deepEqual(s.by, want.by_kind, `${label}: differences by kind`);
  assert.deepEqual(s.conv, want.conventions, `${label}: conventions`);
  assert.equal(r.list.length, r.differences, `${label}: every difference is listed`);
  if (want.rows !== undefined) assert.equal(r.rows, want.rows, `${label}: rows`);
  if (want.pendientes !== undefined) assert.equal(r.pendientes, want.pendientes, `${label}: pendientes`);
  if (want.vote_columns !== undefined) assert.equal(r.vote_columns.length, want.vote_columns);
  for (const [k, ls] of Object.entries(want.lines || {}))
    assert.deepEqual([...new Set(s.lines[k])].sort((a, b) => a - b), ls, `${label}: lines of ${k}`);
  for (const d of r.list) {
    for (const f of ['kind', 'line', 'clave', 'field', 'published', 'recomputed', 'reason'])
      assert.ok(f in d, `${label}: a difference has ${f}`);
    assert.ok(d.reason.length > 10);
  }
}

for (const f of expected.files) {
  test(`${f.path} ${(f.options || []).join(' ')}: ${f.exit === 2 ? 'refused' : 'what a reading of its rows finds'}`, () => {
    const r = audit([...(f.options || []), '--json', join(dir, f.path)]);
    assert.equal(r.code, f.exit, r.stderr);
    if (f.exit === 2) {
      assert.match(r.stderr, new RegExp(f.stderr));
      return;
    }
    const got = reports(r.stdout);
    assert.equal(got.length, f.inputs.length);
    f.inputs.forEach((want, i) => {
      if (want.name) assert.ok(got[i].file.endsWith(want.name), got[i].file);
      check(got[i], want, `${f.path} ${want.name || ''}`);
    });
  });
}

// ---- the same files written another way ----------------------------------

// The stored bytes of one ZIP entry (deflate or stored).
function zipEntry(buf, name) {
  for (let off = 0; off + 30 <= buf.length;) {
    if (buf.readUInt32LE(off) !== 0x04034b50) break;
    const method = buf.readUInt16LE(off + 8), csize = buf.readUInt32LE(off + 18);
    const nlen = buf.readUInt16LE(off + 26), xlen = buf.readUInt16LE(off + 28);
    const n = buf.subarray(off + 30, off + 30 + nlen).toString();
    const data = buf.subarray(off + 30 + nlen + xlen, off + 30 + nlen + xlen + csize);
    if (n === name) return method === 8 ? inflateRawSync(data) : data;
    off += 30 + nlen + xlen + csize;
  }
  throw new Error(`${name} not in the ZIP`);
}

// Fields of one CSV line (quotes as RFC 4180).
function fields(line, delim) {
  const out = [];
  let cur = '', q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') q = false; else cur += c;
    } else if (c === '"') q = true;
    else if (c === delim) { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

const quoteAll = (line, delim) =>
  fields(line, delim).map((v) => `"${v.replace(/"/g, '""')}"`).join(delim);

// Text files to rewrite: [label, how to get the text, its encoding, options, expectation].
const texts = [
  ['IECM 2024', () => zipEntry(readFileSync(join(dir, 'iecm-2024-simulacro/20240512_2120_PREP_GUB_CDMX.zip')), 'CDMX_GUB_2024.csv'),
    'utf8', [], 'iecm-2024-simulacro/20240512_2120_PREP_GUB_CDMX.zip'],
  ['IEEC 2021 juntas', () => readFileSync(join(dir, 'ieec-campeche-2021/20210607_2000_PREP_JUNTAS_CAMP/CAMP_JUNTAS_2021.csv')),
    'utf8', [], 'ieec-campeche-2021/20210607_2000_PREP_JUNTAS_CAMP/CAMP_JUNTAS_2021.csv'],
  ['IEE Puebla 2018', () => readFileSync(join(dir, 'iee-puebla-2018/PUE_DIP_LOC_2018.excerpt.csv')),
    'utf8', ['--extracto'], 'iee-puebla-2018/PUE_DIP_LOC_2018.excerpt.csv'],
  ['IEE Sonora 2021', () => readFileSync(join(dir, 'iee-sonora-2021/SON_DIP_LOC_2021.excerpt.csv')),
    'utf8', ['--extracto'], 'iee-sonora-2021/SON_DIP_LOC_2021.excerpt.csv'],
  ['IEC Coahuila 2023', () => readFileSync(join(dir, 'iec-coahuila-2023/COAH_GUB_2023.excerpt.csv')),
    'utf8', ['--extracto'], 'iec-coahuila-2023/COAH_GUB_2023.excerpt.csv'],
  ['INE Puebla 2019', () => readFileSync(join(dir, 'ine-puebla-2019/PUE_GUB_ext_2019.excerpt.csv')),
    'latin1', ['--extracto'], 'ine-puebla-2019/PUE_GUB_ext_2019.excerpt.csv'],
];

function expectationOf(path, options) {
  const f = expected.files.find((x) => x.path === path && (x.options || []).join() === options.join());
  return f.inputs[0];
}

for (const [label, read, enc, options, path] of texts) {
  test(`${label}: the same result in every encoding, line end and quoting`, () => {
    const want = expectationOf(path, options);
    let text = read().toString(enc);
    const bom = text.charCodeAt(0) === 0xfeff;
    if (bom) text = text.slice(1);
    const sep = text.startsWith('sep=') ? text.slice(4, 5) : null;
    const delim = sep || (text.split(/\r\n|\r|\n/).find((l) => l.includes('CLAVE_CASILLA')).split('|').length > 2 ? '|' : ',');
    const lines = text.split(/\r\n|\r|\n/);
    const variants = {
      crlf: lines.join('\r\n'),
      lf: lines.join('\n'),
      cr: lines.join('\r'),
      quoted: lines.map((l, i) => (sep && i === 0) || l === '' ? l : quoteAll(l, delim)).join('\r\n'),
    };
    const encodings = { 'utf8-bom': (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')]),
      utf8: (t) => Buffer.from(t, 'utf8'), latin1: (t) => Buffer.from(t, 'latin1') };
    for (const [vname, vtext] of Object.entries(variants)) {
      for (const [ename, encode] of Object.entries(encodings)) {
        if (vname !== 'lf' && ename !== 'utf8') continue; // every encoding once, every layout once
        const file = join(tmp, `${label.replace(/\W/g, '_')}.${vname}.${ename}.csv`);
        writeFileSync(file, encode(vtext));
        const r = audit([...options, '--json', file]);
        assert.equal(r.code, want.by_kind && Object.keys(want.by_kind).length ? 1 : 0, `${vname} ${ename}: ${r.stderr}`);
        const rep = reports(r.stdout)[0];
        check(rep, want, `${label} ${vname} ${ename}`);
        // Latin-1 of a text without accents is ASCII: valid UTF-8 as well.
        const latin = ename === 'latin1' && /[^\x00-\x7f]/.test(vtext);
        assert.equal(rep.format.encoding, ename === 'utf8-bom' ? 'UTF-8 con BOM' : latin ? 'Latin-1' : 'UTF-8');
      }
    }
  });
}

// ---- planted inconsistencies in real files -------------------------------

for (const [label, read, enc, options] of texts) {
  test(`${label}: rows made inconsistent are found, and only they`, () => {
    const text = read().toString(enc);
    const base = join(tmp, `${label.replace(/\W/g, '_')}.base.csv`);
    writeFileSync(base, Buffer.from(text, enc));
    const before = reports(audit([...options, '--json', base]).stdout)[0];
    const busy = new Set(before.list.map((d) => d.line));
    for (const c of before.conventions) for (const l of c.lines) busy.add(l);
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const lines = text.split(eol);
    const colLine = lines.findIndex((l) => l.includes('CLAVE_CASILLA'));
    const delim = lines[colLine].split('|').length > 2 ? '|' : ',';
    const head = fields(lines[colLine], delim).map((h) => h.trim());
    const col = (re) => head.findIndex((h) => re.test(h));
    const v0 = head.indexOf(before.vote_columns[0].name), nv = before.vote_columns.length;
    // The first vote column of a row that holds a number (others may be '-').
    const voteAt = (f) => { for (let k = v0; k < v0 + nv; k++) if (/^\d+$/.test(f[k].trim())) return k; return -1; };
    const iTotal = col(/^TOTAL_VOTOS(_CALCULADOS?)?$/), iLn = col(/^LISTA_NOMINAL$/);
    const iRep = col(/^REPRESENTANTES_PP_CI$/), iCont = col(/^CONTABILIZADA$/);
    const num = (s) => Number(s.replace(/^'/, '').replace(/'$/, ''));
    // Clean rows: counted, numbers where the planting writes, nothing reported on them.
    const clean = [];
    lines.forEach((l, i) => {
      if (i <= colLine) return;
      const f = fields(l, delim);
      if (f.length < head.length || busy.has(i + 1) || f[iCont] !== '1') return;
      if (voteAt(f) < 0 || ![f[iLn], f[iTotal]].every((x) => /^'?\d+'?$/.test(x.trim()))) return;
      clean.push(i);
    });
    assert.ok(clean.length >= 3, `${label}: clean rows to plant in`);
    const [a, b, c] = [clean[0], clean[Math.floor(clean.length / 2)], clean[clean.length - 1]];
    const edited = lines.map((l, i) => {
      if (i !== a && i !== b && i !== c) return l;
      const f = fields(l, delim);
      const quoted = l.includes('"');
      if (i === a || i === b) {
        // Over lista nominal + representantes, total kept right, still contabilizada.
        const rep = iRep >= 0 && /^\d+$/.test(f[iRep]) ? num(f[iRep]) : 0;
        const add = num(f[iLn]) + rep + 1;
        const k = voteAt(f);
        f[k] = String(num(f[k]) + add);
        f[iTotal] = String(num(f[iTotal]) + add);
      } else {
        f[iTotal] = String(num(f[iTotal]) + 1); // a wrong TOTAL_VOTOS_CALCULADO
      }
      return quoted ? f.map((v) => `"${v}"`).join(delim) : f.join(delim);
    });
    const file = join(tmp, `${label.replace(/\W/g, '_')}.planted.csv`);
    writeFileSync(file, Buffer.from(edited.join(eol), enc));
    const r = audit([...options, '--json', file]);
    assert.equal(r.code, 1, r.stderr);
    const after = reports(r.stdout)[0];
    const sb = summarise(before), sa = summarise(after);
    const at = (s, k) => new Set(s.lines[k] || []);
    const added = (k) => [...at(sa, k)].filter((l) => !at(sb, k).has(l)).sort((x, y) => x - y);
    assert.deepEqual(added('contabilizada'), [a + 1, b + 1].sort((x, y) => x - y), `${label}: the rows over the limit`);
    assert.deepEqual(added('observaciones'), [a + 1, b + 1].sort((x, y) => x - y), `${label}: their EXCEDE LISTA NOMINAL`);
    assert.deepEqual(added('total'), [c + 1], `${label}: the wrong total`);
    for (const k of ['duplicate', 'time_order', 'timestamp', 'hash', 'value'])
      assert.equal(after.by_kind[k], before.by_kind[k], `${label}: ${k} unchanged`);
    assert.deepEqual(sa.conv, sb.conv, `${label}: conventions unchanged`);
    const reason = after.list.find((d) => d.kind === 'contabilizada' && d.line === a + 1).reason;
    assert.match(reason, /excede el límite/);
  });
}
