// api_flow.test.mjs — the life of actas through the HTTP API of a real
// `prep serve`: acopio → image (with its QR) → two equal captures →
// verification; a discrepancy settled by a third capture and by the
// verifier; sin acta; fuera de catálogo; a rejected image and re-scan;
// blind double capture (capturistas never see other captures); the
// bitácora records every step with user and station and stays intact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, casillas, qrPng, sha256, valores } from './lib/server.mjs';

let srv;
const C = casillas();
before(async () => {
  srv = await startServer({ users: [
    { name: 'aco', role: 'acopio' }, { name: 'dig', role: 'digitalizacion' },
    { name: 'cap1', role: 'captura' }, { name: 'cap2', role: 'captura' }, { name: 'cap3', role: 'captura' },
    { name: 'ver', role: 'verificacion' }, { name: 'aud', role: 'auditor' },
  ] });
});
after(async () => { await srv.stop(); });

async function post(user, path, json, headers) {
  return srv.req('POST', path, { token: await srv.as(user), json, headers });
}

async function upload(user, e, clave, png, origen = 'CATD', extra = {}) {
  return srv.req('POST', srv.acta(e, clave) + '/imagenes', {
    token: await srv.as(user), body: png,
    headers: { 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(png), 'X-Origen': origen, ...extra },
  });
}

test('full life: acopio, image, two equal captures, verification', async () => {
  const clave = C[0].clave, p = srv.acta('GUB', clave);
  let r = await post('aco', p + '/acopio');
  assert.equal(r.status, 200);
  assert.equal(r.body.acta.estado, 'ACOPIADA');
  assert.equal(r.body.noop, false);
  assert.match(r.body.acta.tiempos.acopio, /-06:00$/);
  r = await post('aco', p + '/acopio');
  assert.equal(r.status, 200, 'a repeated acopio is an idempotent no-op');
  assert.equal(r.body.noop, true);

  const png = await qrPng(clave);
  r = await upload('dig', 'GUB', clave, png);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.acta.estado, 'DIGITALIZADA');
  assert.equal(r.body.acta.imagen, sha256(png));
  assert.equal(r.body.acta.origen, 'CATD');
  assert.equal(r.body.acta.digitalizacion, 'ESCANER');
  assert.equal(r.body.imagen.qr, clave, 'the QR code was read');
  r = await upload('dig', 'GUB', clave, png);
  assert.equal(r.status, 200, 'the same image again is a no-op');
  assert.equal(r.body.noop, true);

  r = await srv.req('GET', `${p}/imagenes/${sha256(png)}`, { token: await srv.as('cap1') });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/png');
  assert.ok(r.raw.equals(png), 'the stored bytes are the bytes sent');

  r = await srv.req('GET', p, { token: await srv.as('cap1') });
  assert.equal(r.status, 200);
  const vals = valores(r.body, 10);
  r = await post('cap1', p + '/capturas', { valores: vals });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.acta.estado, 'CAPTURADA');
  // Blind double capture: the second capturista sees no values.
  r = await srv.req('GET', p, { token: await srv.as('cap2') });
  assert.equal(r.body.capturas, undefined);
  assert.equal(r.body.valores, undefined);
  // Same figures, given by field name this time.
  const byName = Object.fromEntries(r.body.campos.filter((c) => c.aplica).map((c, i) => [c.nombre, vals[r.body.campos.indexOf(c)]]));
  r = await post('cap2', p + '/capturas', { valores: byName });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.acta.estado, 'POR_VERIFICAR');

  r = await srv.req('GET', p, { token: await srv.as('ver') });
  assert.equal(r.body.capturas.length, 2);
  assert.deepEqual(r.body.capturas[0].valores, vals);
  assert.equal(r.body.capturas[0].usuario.nombre, 'cap1');
  assert.deepEqual(r.body.valores, vals);
  assert.equal(r.body.imagenes.length, 1);
  assert.equal(r.body.imagenes[0].activa, true);

  r = await post('ver', p + '/verificacion', { resultado: 'acepta' });
  assert.equal(r.status, 200);
  assert.equal(r.body.acta.estado, 'VERIFICADA');
  assert.ok(r.body.acta.tiempos.verificacion);
  r = await post('ver', p + '/verificacion', { resultado: 'acepta' });
  assert.equal(r.status, 200);
  assert.equal(r.body.noop, true);

  const log = srv.logShow();
  assert.match(log, /acta\.acopio\s+GUB\/\S+/);
  assert.match(log, /prueba-1\s+acta\.captura/, 'the station is in the bitácora');
  assert.match(log, /acta\.verifica/);
  assert.equal(srv.logVerify().code, 0);
});

test('discrepancy: third capture agrees, or the verifier resolves', async () => {
  for (const [i, how] of [[1, 'third'], [2, 'resuelve'], [3, 'valores']]) {
    const clave = C[i].clave, p = srv.acta('DIP_LOC', clave);
    const png = await qrPng(clave);
    assert.equal((await upload('dig', 'DIP_LOC', clave, png)).status, 201);
    const acta = (await srv.req('GET', p, { token: await srv.as('cap1') })).body;
    const a = valores(acta, 1), b = valores(acta, 2);
    b[b.length - 1] = 'Ilegible';
    assert.equal((await post('cap1', p + '/capturas', { valores: a })).body.acta.estado, 'CAPTURADA');
    let r = await post('cap2', p + '/capturas', { valores: b });
    assert.equal(r.body.acta.estado, 'DISCREPANCIA');
    if (how === 'third') {
      r = await post('cap3', p + '/capturas', { valores: b });
      assert.equal(r.body.acta.estado, 'POR_VERIFICAR');
      const v = (await srv.req('GET', p, { token: await srv.as('ver') })).body;
      assert.equal(v.capturas.length, 3);
      assert.deepEqual(v.valores, b, 'the agreeing captures stand, Ilegible included');
    } else if (how === 'resuelve') {
      r = await post('ver', p + '/verificacion', { resultado: 'resuelve', elegida: 1 });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.acta.estado, 'POR_VERIFICAR');
      assert.deepEqual((await srv.req('GET', p, { token: await srv.as('ver') })).body.valores, a);
    } else {
      const c = valores(acta, 3);
      r = await post('ver', p + '/verificacion', { resultado: 'resuelve', valores: c });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual((await srv.req('GET', p, { token: await srv.as('ver') })).body.valores, c);
    }
    r = await post('ver', p + '/verificacion', { resultado: 'acepta' });
    assert.equal(r.body.acta.estado, 'VERIFICADA');
  }
});


test('verifier rejects the capture, then the image; a new scan becomes active', async () => {
  const clave = C[4].clave, p = srv.acta('ALC', clave);
  const png = await qrPng(clave);
  assert.equal((await upload('dig', 'ALC', clave, png)).status, 201);
  const acta = (await srv.req('GET', p, { token: await srv.as('cap1') })).body;
  await post('cap1', p + '/capturas', { valores: valores(acta) });
  await post('cap2', p + '/capturas', { valores: valores(acta) });
  let r = await post('ver', p + '/verificacion', { resultado: 'rechaza_captura' });
  assert.equal(r.status, 200);
  assert.equal(r.body.acta.estado, 'DIGITALIZADA');
  assert.equal(r.body.acta.ronda, 1);
  r = await post('ver', p + '/verificacion', { resultado: 'rechaza_imagen' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.acta.imagen, null);
  const png2 = await qrPng(clave, { scale: 7 });
  r = await upload('dig', 'ALC', clave, png2);
  assert.equal(r.status, 201);
  assert.equal(r.body.acta.imagen, sha256(png2));
  const v = (await srv.req('GET', p, { token: await srv.as('ver') })).body;
  assert.equal(v.imagenes.length, 2);
  assert.equal(v.imagenes.find((i) => i.sha256 === sha256(png)).rechazada, true);
});

test('sin acta with its motivo; fuera de catálogo', async () => {
  const p = srv.acta('GUB', C[5].clave);
  let r = await post('aco', p + '/sin-acta', { motivo: 'paquete_no_entregado' });
  assert.equal(r.status, 200);
  assert.equal(r.body.acta.estado, 'SIN_ACTA');
  assert.equal(r.body.acta.sin_acta, 'paquete_no_entregado');
  r = await post('aco', p + '/sin-acta', { motivo: 'paquete_no_entregado' });
  assert.equal(r.body.noop, true);
  r = await post('aco', p + '/sin-acta', { motivo: 'sin_sobre' });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'conflict');
  r = await post('aco', '/api/v1/elecciones/GUB/fuera-catalogo', { identificacion: '099999B0100' });
  assert.equal(r.status, 201);
  assert.equal(r.body.fuera_catalogo.identificacion, '099999B0100');
  r = await post('aco', '/api/v1/elecciones/GUB/fuera-catalogo', { identificacion: C[6].clave });
  assert.equal(r.status, 409, 'a catalog casilla is not fuera de catálogo');
});

test('a CAE sends the photo of its own casilla (MOVIL)', async () => {
  const mine = C.find((c) => c.cae > 0);
  assert.ok(mine, 'the small catalog assigns CAEs');
  const other = C.find((c) => c.cae > 0 && c.cae !== mine.cae);
  const s2 = srv; // same server; create the CAE account through the CLI
  const { prep, PASSWORD } = await import('./lib/server.mjs');
  assert.equal(prep(['user', 'add', 'cae1', '--role', 'cae', '--cae', String(mine.cae), '--password-stdin', '--data', s2.data], PASSWORD + '\n').code, 0);
  const png = await qrPng(mine.clave);
  let r = await upload('cae1', 'GUB', mine.clave, png, 'CASILLA', { 'X-Dispositivo': 'tel-0042' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.acta.origen, 'CASILLA');
  assert.equal(r.body.acta.digitalizacion, 'MOVIL');
  r = await upload('cae1', 'GUB', other.clave, await qrPng(other.clave), 'CASILLA');
  assert.equal(r.status, 403, 'not its casilla');
  r = await upload('cae1', 'GUB', mine.clave, png, 'CATD');
  assert.equal(r.status, 403, 'a CAE does not scan at the CATD');
  // A later CATD scan is kept but the first image stays active.
  const scan = await qrPng(mine.clave, { scale: 8 });
  r = await upload('dig', 'GUB', mine.clave, scan);
  assert.equal(r.status, 201);
  assert.equal(r.body.imagen.activa, false);
  assert.equal(r.body.acta.imagen, sha256(png));
});
