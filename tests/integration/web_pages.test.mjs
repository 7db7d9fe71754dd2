// web_pages.test.mjs — the operator pages are compiled into prep: every file
// of web/operacion/ is served under /operacion/ byte for byte with its type,
// the operator CSP and no inline script; directories redirect to their
// index; nothing else is served. And the two reads the pages need:
// GET /api/v1/casillas (scoped like every acta request) and
// GET /api/v1/monitoreo (progress per hour, capturistas, alerts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, casillas, qrPng, sha256, valores } from './lib/server.mjs';

const WEB = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'operacion');
const C = casillas();
const mine = C.find((c) => c.cae > 0);
let srv;
before(async () => {
  srv = await startServer({ users: [
    { name: 'aco', role: 'acopio', catd: C[0].catd }, { name: 'dig', role: 'digitalizacion' },
    { name: 'cap1', role: 'captura' }, { name: 'cap2', role: 'captura' }, { name: 'cap3', role: 'captura' },
    { name: 'mon', role: 'monitor' }, { name: 'cae', role: 'cae', cae: mine.cae }, { name: 'adm0', role: 'admin' },
  ] });
});
after(async () => { await srv.stop(); });

function files(dir, rel = '') {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, rel + n + '/') : [rel + n];
  });
}

test('every file of web/operacion is embedded and served as it is on disk', async () => {
  const all = files(WEB);
  assert.ok(all.length >= 20, 'the pages are there');
  for (const f of all) {
    const r = await srv.req('GET', '/operacion/' + f);
    assert.equal(r.status, 200, f + ' is served (add it to src/http/web_assets.c)');
    assert.ok(r.raw.equals(readFileSync(join(WEB, f))), f + ' is byte-identical (rebuild after editing)');
    assert.match(r.headers.get('content-security-policy'), /script-src 'self';/);
    assert.ok(r.headers.get('etag'));
    const type = r.headers.get('content-type');
    if (f.endsWith('.js')) assert.match(type, /^text\/javascript/);
    if (f.endsWith('.html')) {
      assert.match(type, /^text\/html/);
      assert.doesNotMatch(r.raw.toString(), /<script(?![^>]*\bsrc=)[^>]*>/, f + ': no inline script (the CSP forbids it)');
      assert.match(r.raw.toString(), /<html lang="es">/);
    }
    if (f.endsWith('.webmanifest')) assert.equal(type, 'application/manifest+json');
  }
});

test('directories redirect to their index; unknown and escaping paths are 404', async () => {
  let r = await srv.req('GET', '/operacion/');
  assert.equal(r.status, 200);
  assert.match(r.raw.toString(), /Entrada de operadores/);
  r = await srv.req('GET', '/operacion/casilla');
  assert.equal(r.status, 301);
  assert.equal(r.headers.get('location'), '/operacion/casilla/');
  r = await srv.req('GET', '/operacion/casilla/');
  assert.match(r.raw.toString(), /PREP Casilla/);
  for (const p of ['/operacion/nada.html', '/operacion/../prep.db', '/operacion/%2e%2e/x', '/operacion/vendor/']) {
    r = await srv.req('GET', p);
    assert.equal(r.status, 404, p);
  }
  r = await srv.req('POST', '/operacion/index.html', { json: {} });
  assert.equal(r.status, 405);
});

test('GET /api/v1/casillas: a CATD sees its casillas, a CAE its own, with each acta state', async () => {
  let r = await srv.req('GET', '/api/v1/casillas');
  assert.equal(r.status, 401);
  const clave = C.find((c) => c.catd === C[0].catd).clave;
  assert.equal((await srv.req('POST', srv.acta('GUB', clave) + '/acopio', { token: await srv.as('aco') })).status, 200);
  r = await srv.req('GET', '/api/v1/casillas', { token: await srv.as('aco') });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.elecciones, ['GUB', 'DIP_LOC', 'ALC']);
  assert.equal(r.body.casillas.length, C.filter((c) => c.catd === C[0].catd).length);
  assert.ok(r.body.casillas.every((c) => c.catd === C[0].catd));
  const row = r.body.casillas.find((c) => c.clave === clave);
  assert.deepEqual(row.actas, { GUB: 'ACOPIADA', DIP_LOC: 'ESPERADA', ALC: 'ESPERADA' });
  r = await srv.req('GET', '/api/v1/casillas', { token: await srv.as('cae') });
  assert.equal(r.body.casillas.length, C.filter((c) => c.cae === mine.cae).length);
  assert.ok(r.body.casillas.every((c) => c.cae === mine.cae));
  r = await srv.req('GET', '/api/v1/casillas?catd=2', { token: await srv.as('mon') });
  assert.equal(r.body.casillas.length, C.filter((c) => c.catd === 2).length);
  r = await srv.req('GET', '/api/v1/casillas?catd=x', { token: await srv.as('mon') });
  assert.equal(r.status, 400);
});

test('GET /api/v1/monitoreo: per hour, active operators, disagreement, stuck actas', async () => {
  let r = await srv.req('GET', '/api/v1/monitoreo', { token: await srv.as('cap1') });
  assert.equal(r.status, 403, 'capturistas do not read monitoring');
  // One discrepancy that cap2 loses (the third capture agrees with cap1).
  const clave = C[3].clave, p = srv.acta('DIP_LOC', clave);
  const png = await qrPng(clave);
  assert.equal((await srv.req('POST', p + '/imagenes', { token: await srv.as('dig'), body: png,
    headers: { 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(png), 'X-Origen': 'CATD' } })).status, 201);
  const acta = (await srv.req('GET', p, { token: await srv.as('cap1') })).body;
  const a = valores(acta, 3), b = valores(acta, 4);
  for (const [u, v] of [['cap1', a], ['cap2', b], ['cap3', a]])
    assert.equal((await srv.req('POST', p + '/capturas', { token: await srv.as(u), json: { valores: v } })).status, 200);
  r = await srv.req('GET', '/api/v1/monitoreo?min_capturas=1&atascada_min=1', { token: await srv.as('mon') });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const m = r.body;
  assert.equal(m.por_hora.length, 24);
  const ahora = m.por_hora[23];
  assert.ok(ahora.acopio >= 1 && ahora.imagen >= 1 && ahora.captura >= 3, JSON.stringify(ahora));
  const by = Object.fromEntries(m.capturistas.map((c) => [c.nombre, c]));
  assert.equal(by.cap2.perdidas, 1);
  assert.equal(by.cap2.capturas, 1);
  assert.equal(by.cap2.alerta, true);
  assert.equal(by.cap1.perdidas, 0);
  assert.equal(by.cap1.alerta, false);
  assert.ok(m.operadores_activos.captura >= 3);
  assert.equal(m.atascadas.total, 0, 'nothing is older than a minute yet');
  assert.equal(m.corte.ultimo, null);
  assert.equal(m.corte.retrasado, false);
  // Other thresholds are answered for their caller only; the shared answer keeps the defaults.
  r = await srv.req('GET', '/api/v1/monitoreo', { token: await srv.as('mon') });
  assert.equal(r.body.umbrales.min_capturas, 20);
  assert.equal(r.body.capturistas.find((c) => c.nombre === 'cap2').alerta, false, 'one capture is too few to flag by default');
  r = await srv.req('GET', '/api/v1/monitoreo?umbral_milesimas=5000', { token: await srv.as('mon') });
  assert.equal(r.status, 400);
  // A second discrepancy, lost by cap1: the next refresh counts it and keeps
  // cap2's earlier loss (remembered per acta, not read again).
  const p2 = srv.acta('DIP_LOC', C[4].clave), png2 = await qrPng(C[4].clave);
  assert.equal((await srv.req('POST', p2 + '/imagenes', { token: await srv.as('dig'), body: png2,
    headers: { 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(png2), 'X-Origen': 'CATD' } })).status, 201);
  for (const [u, v] of [['cap1', b], ['cap2', a], ['cap3', a]])
    assert.equal((await srv.req('POST', p2 + '/capturas', { token: await srv.as(u), json: { valores: v } })).status, 200);
  const reads = async () => Number((await (await fetch(srv.url + '/metrics')).text())
    .match(/^prep_monitoreo_capture_reads_total (\d+)$/m)[1]);
  const before = await reads();
  for (let i = 0; i < 2; i++) {
    r = await srv.req('GET', '/api/v1/monitoreo?min_capturas=1', { token: await srv.as('mon') });
    if (i === 0) assert.equal(await reads() - before, 3, 'the first refresh reads the new acta\'s 3 captures only');
    else assert.equal(await reads() - before, 3, 'the second refresh reads none');
    const by2 = Object.fromEntries(r.body.capturistas.map((c) => [c.nombre, c]));
    assert.equal(by2.cap1.perdidas, 1, `refresh ${i}`);
    assert.equal(by2.cap2.perdidas, 1, `refresh ${i}`);
    assert.equal(by2.cap2.capturas, 2, `refresh ${i}`);
    assert.equal(by2.cap3.perdidas, 0, `refresh ${i}`);
  }
  // Actas with captured values are listed too.
  r = await srv.req('GET', '/api/v1/casillas', { token: await srv.as('mon') });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.casillas.find((c) => c.clave === clave).actas.DIP_LOC, 'POR_VERIFICAR');
});

test('GET /api/v1/monitoreo alerts: an acta stuck in a phase, a late corte', async () => {
  const mon = await srv.as('mon');
  let m = (await srv.req('GET', '/api/v1/monitoreo?atascada_min=29', { token: mon })).body;
  assert.equal(m.atascadas.total, 0);
  assert.equal(m.corte.ultimo, null, 'no corte yet');
  const adm = await srv.login('adm0');
  assert.equal((await srv.req('POST', '/api/v1/cortes', { token: adm, json: {} })).status, 201);
  m = (await srv.req('GET', '/api/v1/monitoreo?atascada_min=29', { token: mon })).body;
  assert.equal(m.corte.retrasado, false, 'the corte is fresh');
  assert.equal(m.corte.cada_min, 10);
  // Time passes: the captured acta and the last corte are moved 40 minutes
  // into the past, as if nothing had happened since (the server never
  // writes these rows by itself, so the setup cannot race with it).
  const sql = 'UPDATE acta SET t_acopio = t_acopio - 2400000 WHERE t_acopio > 0 AND t_captura > 0; ' +
    'UPDATE acta SET t_imagen = t_imagen - 2400000, t_captura = t_captura - 2400000 WHERE t_captura > 0; ' +
    'UPDATE corte SET at = at - 2400000;';
  const { spawnSync } = await import('node:child_process');
  const r = srv.storeUrl ? spawnSync('psql', [srv.storeUrl, '-qAtc', sql], { encoding: 'utf8' })
    : spawnSync('sqlite3', [srv.data + '/prep.db', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  m = (await srv.req('GET', '/api/v1/monitoreo?atascada_min=28', { token: mon })).body;
  assert.ok(m.atascadas.total >= 1, JSON.stringify(m.atascadas));
  const a = m.atascadas.actas.find((x) => x.clave === C[3].clave);
  assert.equal(a.estado, 'POR_VERIFICAR');
  assert.ok(a.minutos >= 39);
  assert.equal(m.corte.retrasado, true, 'a corte every 10 min, the last one 40 min ago');
});
