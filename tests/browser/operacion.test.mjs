// operacion.test.mjs — the operator pages and PREP Casilla in headless
// Chromium against a real prep serve: one acta from the CAE's phone photo
// (taken with no signal, its first upload's reply lost, sent again with the
// same Idempotency-Key: stored exactly once) through two keyboard-only
// captures that disagree, the verifier's choice, verification, a corte and
// the public site, then cotejo; acopio and digitalización of other actas;
// monitoring; a screenshot of every page (1366×768, phone size for PREP
// Casilla) in tests/browser/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, casillas, qrPng, sha256, prep, PASSWORD } from '../integration/lib/server.mjs';
import { join } from 'node:path';
import { launch, shot, nuevaPagina, assertClean, entrar, camaraQr, accesible, TELEFONO } from './lib/pages.mjs';

const C = casillas();
const MIA = C.find((c) => c.cae > 0);
let srv, browser;

before(async () => {
  srv = await startServer({ users: [
    { name: 'aco', role: 'acopio', catd: C[5].catd }, { name: 'dig', role: 'digitalizacion' },
    { name: 'cap1', role: 'captura' }, { name: 'cap2', role: 'captura' }, { name: 'cap3', role: 'captura' },
    { name: 'ver', role: 'verificacion' }, { name: 'cot', role: 'cotejo' },
    { name: 'mon', role: 'monitor' }, { name: 'adm', role: 'admin' }, { name: 'cae', role: 'cae', cae: MIA.cae },
  ], args: ['--corte-every', '0'] });
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

const actaApi = async (e, clave) => (await srv.req('GET', srv.acta(e, clave), { token: await srv.as('mon') })).body;
const actaVer = async (e, clave) => (await srv.req('GET', srv.acta(e, clave), { token: await srv.as('ver') })).body;

test('login: wrong password is refused in Spanish, the right one opens the role page', async () => {
  const page = await nuevaPagina(browser);
  await page.goto(srv.url + '/operacion/');
  await page.fill('#usuario', 'aco');
  await page.fill('#password', 'mala');
  await page.fill('#estacion', 'CATD-1');
  await page.click('button[type=submit]');
  await page.waitForSelector('#estado.mal');
  assert.match(await page.textContent('#estado'), /Usuario o contraseña incorrectos/);
  await accesible(page);
  await page.screenshot({ path: shot('entrada') });
  await page.fill('#password', PASSWORD);
  await page.press('#password', 'Enter');
  await page.waitForURL('**/operacion/acopio.html');
  assertClean(page);
  await page.context().close();
});

test('PREP Casilla: photo with no signal waits in the queue; sent exactly once when the signal returns', async () => {
  const page = await nuevaPagina(browser, TELEFONO, { isMobile: true, hasTouch: true });
  await page.clock.install();  // the app's 10 s retry timer, moved on below instead of waited for
  await page.goto(srv.url + '/operacion/casilla/');
  await page.fill('#usuario', 'cae');
  await page.fill('#password', PASSWORD);
  await page.press('#password', 'Enter');
  await page.waitForSelector('#lista:not([hidden]) .casilla');
  const mias = C.filter((c) => c.cae === MIA.cae);
  assert.equal(await page.locator('.casilla').count(), mias.length, 'the CAE sees exactly its casillas');
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Installable: Chromium's own check of manifest, icons and service worker.
  const cdp = await page.context().newCDPSession(page);
  const inst = await cdp.send('Page.getInstallabilityErrors');
  await cdp.detach();
  // (A test context is incognito, where Chromium never installs: that one reason aside, none.)
  assert.deepEqual(inst.installabilityErrors.filter((e) => e.errorId !== 'in-incognito'), [], 'PREP Casilla is an installable PWA');
  await accesible(page);
  await page.screenshot({ path: shot('casilla-lista'), fullPage: true });

  // No signal: the app still opens (service worker + stored list).
  await page.context().setOffline(true);
  await page.reload();
  await page.waitForSelector('#lista:not([hidden]) .casilla');
  await page.waitForFunction(() => document.querySelector('#red').textContent === 'Sin señal');

  const png = await qrPng(MIA.clave, { scale: 5 });
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'),
    page.click(`button[aria-label="Fotografiar acta GUB de la casilla ${MIA.clave}"]`)]);
  await chooser.setFiles({ name: 'acta.png', mimeType: 'image/png', buffer: png });
  await page.waitForSelector('#foto:not([hidden])');
  assert.equal(await page.textContent('#sha'), sha256(png), 'the SHA-256 computed in the browser is the bytes\' SHA-256');
  await accesible(page);
  await page.screenshot({ path: shot('casilla-foto') });
  await page.click('#confirmar');
  await page.waitForSelector('#envios li[data-estado=pendiente]');
  await page.waitForSelector('#estado.mal');
  await accesible(page);
  await page.screenshot({ path: shot('casilla-cola'), fullPage: true });
  assert.equal((await actaApi('GUB', MIA.clave)).imagenes.length, 0, 'nothing reached the server');

  // The signal returns, but the reply to the first upload is lost on the way back.
  const keys = [];
  let perdidas = 0;
  await page.route('**/imagenes', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (perdidas++ === 0) {
      const r = await route.fetch();
      assert.equal(r.status(), 201, 'the server stored it');
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  await page.context().setOffline(false);
  // The app retries every 10 s of its clock: move that clock on until the photo is acknowledged.
  const enviada = '#envios li[data-estado=enviada]';
  for (let i = 0; i < 10 && !(await page.locator(enviada).count()); i++) {
    await page.clock.fastForward(10000);
    await page.waitForSelector(enviada, { timeout: 1500 }).catch(() => {});
  }
  await page.waitForSelector(enviada, { timeout: 1000 });
  assert.equal(await page.locator('#envios li[data-estado=pendiente]').count(), 0);
  assert.ok(keys.length >= 2, 'sent again after the lost reply');
  assert.ok(keys.every((k) => k === keys[0]), 'every attempt carries the same Idempotency-Key');
  const acta = await actaApi('GUB', MIA.clave);
  assert.equal(acta.imagenes.length, 1, 'exactly one image stored');
  assert.equal(acta.imagenes[0].sha256, sha256(png));
  assert.equal(acta.origen, 'CASILLA');
  assert.equal(acta.digitalizacion, 'MOVIL');
  assert.match(srv.logShow().split('\n').filter((l) => l.includes('acta.imagen') && l.includes(MIA.clave)).join('\n'), /acta\.imagen/);
  assert.equal(srv.logShow().split('\n').filter((l) => /acta\.imagen\b/.test(l) && l.includes(MIA.clave)).length, 1, 'one bitácora entry');
  await accesible(page);
  await page.screenshot({ path: shot('casilla-enviada'), fullPage: true });
  assertClean(page);
  await page.context().close();
});

// Types an acta with the keyboard only: digits, Tab or Enter to move on,
// I for Ilegible, S for Sin dato; Enter on the last field sends it.
async function teclear(page, campos, valores) {
  const aplican = campos.map((c, i) => [c, i]).filter(([c]) => c.aplica);
  for (let k = 0; k < aplican.length; k++) {
    const v = valores[aplican[k][1]];
    if (v === 'Ilegible') await page.keyboard.press('i');
    else if (v === 'Sin dato') await page.keyboard.press('s');
    else {
      await page.keyboard.type(String(v));
      await page.keyboard.press(k % 2 && k < aplican.length - 1 ? 'Tab' : 'Enter');
    }
  }
}

// Values for the form: vote fields 1, 2, 3…, one Ilegible vote, Sin dato
// for the boletas sobrantes, and TOTAL_VOTOS_ASENTADO equal to their sum.
function figuras(campos, cambio = 0) {
  let n = 0, suma = 0, primera = true;
  return campos.map((c) => {
    if (!c.aplica) return '-';
    if (c.nombre === 'TOTAL_BOLETAS_SOBRANTES') return 'Sin dato';
    if (c.nombre === 'TOTAL_VOTOS_ASENTADO') return suma;
    if (c.nombre.startsWith('TOTAL_')) return 100;
    if (primera) { primera = false; return 'Ilegible'; }
    n++;
    const v = n === 2 ? n + cambio : n;
    suma += v;
    return v;
  });
}

let campos;
test('captura, keyboard only: two capturistas disagree, a third one too: the verifier decides', async () => {
  campos = (await actaApi('GUB', MIA.clave)).campos;
  for (const [user, cambio, estadoEsperado] of [['cap1', 0, 'CAPTURADA'], ['cap2', 5, 'DISCREPANCIA'], ['cap3', 9, 'DISCREPANCIA']]) {
    const page = await nuevaPagina(browser);
    await entrar(page, srv, user, PASSWORD, 'captura.html');
    await page.waitForSelector('#campos input');
    assert.match(await page.textContent('#titulo'), new RegExp(MIA.clave));
    await page.waitForSelector('.visor img:not([hidden])');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'v-0', 'the first field has the focus');
    const vals = figuras(campos, cambio);
    const aplican = campos.filter((c) => c.aplica).length;
    await teclear(page, campos, vals);
    await page.waitForFunction((e) => document.querySelector('#estado').textContent.includes(e), 'enviada');
    assert.match(await page.textContent('#estado'), /enviada/);
    const a = await actaVer('GUB', MIA.clave);
    assert.equal(a.estado, estadoEsperado);
    const mine = a.capturas[a.capturas.length - 1];
    assert.equal(mine.usuario.nombre, user);
    assert.deepEqual(mine.valores, vals, 'the figures typed are the figures stored, Ilegible and Sin dato included');
    assert.ok(aplican > 5);
    assertClean(page);
    await page.context().close();
  }
});

test('captura: the running total against the acta\'s total; nothing left to capture', async () => {
  // A scan for a fresh acta, so the page has one to show.
  const clave = C[8].clave, png = await qrPng(clave);
  const r = await srv.req('POST', srv.acta('ALC', clave) + '/imagenes', { token: await srv.as('dig'), body: png,
    headers: { 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(png), 'X-Origen': 'CATD' } });
  assert.equal(r.status, 201);
  const page = await nuevaPagina(browser);
  await entrar(page, srv, 'cap1', PASSWORD, 'captura.html');
  await page.waitForSelector('#campos input');
  await page.waitForSelector('.visor img:not([hidden])');
  const cs = (await actaApi('ALC', clave)).campos;
  const vals = figuras(cs);
  const aplican = cs.map((c, i) => [c, i]).filter(([c]) => c.aplica);
  for (let k = 0; k < aplican.length - 1; k++) {
    const v = vals[aplican[k][1]];
    if (v === 'Ilegible') await page.keyboard.press('I');
    else if (v === 'Sin dato') await page.keyboard.press('S');
    else { await page.keyboard.type(String(v)); await page.keyboard.press('Tab'); }
  }
  const suma = vals[aplican[aplican.length - 1][1]];
  await page.keyboard.type(String(suma + 3));
  assert.match(await page.textContent('.total'), new RegExp(`Suma de votos: ${suma} · Total asentado en el acta: ${suma + 3} · difieren por 3`));
  await page.fill(`#v-${aplican[aplican.length - 1][1]}`, String(suma));
  assert.match(await page.textContent('.total'), /coinciden/);
  // Zoom and rotate the image.
  await page.click('button[aria-label="Acercar"]');
  await page.click('button[aria-label="Girar 90 grados"]');
  assert.match(await page.getAttribute('.visor img', 'style'), /rotate\(90deg\)/);
  await accesible(page);
  await page.screenshot({ path: shot('captura') });
  // Give it back: the acta returns to the queue for someone else.
  await page.click('#liberar');
  await page.waitForSelector('#estado.info');
  assert.match(await page.textContent('#estado'), /quedó libre/);
  assertClean(page);
  await page.context().close();
});

test('verificación: the differing field is highlighted; the verifier chooses, then accepts', async () => {
  const page = await nuevaPagina(browser);
  await entrar(page, srv, 'ver', PASSWORD, 'verificacion.html');
  await page.waitForSelector('#comparacion tbody tr');
  assert.match(await page.textContent('#titulo'), new RegExp(MIA.clave));
  assert.equal(await page.locator('#comparacion tbody tr.difiere').count(), 2, 'one vote and the total differ');
  assert.match(await page.textContent('#comparacion tbody tr.difiere >> nth=0'), /PRD\s*2\s*7\s*11/);
  assert.match(await page.textContent('#comparacion tbody tr.difiere >> nth=1'), /Total de votos asentado/);
  await page.waitForSelector('.visor img:not([hidden])');
  await accesible(page);
  await page.screenshot({ path: shot('verificacion-discrepancia') });
  await page.click('text=Elegir captura 1');
  await page.waitForSelector('text=Aceptar: los datos coinciden con la imagen');
  assert.equal((await actaVer('GUB', MIA.clave)).estado, 'POR_VERIFICAR');
  await accesible(page);
  await page.screenshot({ path: shot('verificacion') });
  await page.keyboard.press('a');
  await page.waitForFunction(() => /verificada/.test(document.querySelector('#estado').textContent));
  const a = await actaVer('GUB', MIA.clave);
  assert.equal(a.estado, 'VERIFICADA');
  assert.deepEqual(a.valores, a.capturas[0].valores, 'capture 1 stands');
  assertClean(page);
  await page.context().close();
});

test('verificación: the verifier types the values read on the image, then rejects the image', async () => {
  const clave = C[8].clave, p = srv.acta('ALC', clave);
  const cs = (await actaApi('ALC', clave)).campos;
  for (const [u, k] of [['cap1', 0], ['cap2', 5], ['cap3', 9]])
    assert.equal((await srv.req('POST', p + '/capturas', { token: await srv.as(u), json: { valores: figuras(cs, k) } })).status, 200);
  const page = await nuevaPagina(browser);
  await entrar(page, srv, 'ver', PASSWORD, 'verificacion.html');
  await page.waitForSelector('text=Capturar los valores de la imagen');
  assert.match(await page.textContent('#titulo'), new RegExp(clave));
  await page.click('text=Capturar los valores de la imagen');
  await page.waitForSelector('#p-0:focus');
  const propios = figuras(cs, 1);
  const aplican = cs.map((c, i) => [c, i]).filter(([c]) => c.aplica);
  for (let k = 0; k < aplican.length; k++) {
    const v = propios[aplican[k][1]];
    if (v === 'Ilegible') await page.keyboard.press('i');
    else if (v === 'Sin dato') await page.keyboard.press('s');
    else { await page.keyboard.type(String(v)); await page.keyboard.press('Enter'); }
  }
  await page.waitForSelector('text=Aceptar: los datos coinciden con la imagen');
  let a = await actaVer('ALC', clave);
  assert.equal(a.estado, 'POR_VERIFICAR');
  assert.deepEqual(a.valores, propios, "the verifier's values stand");
  await page.click('text=Rechazar la imagen (ilegible)');
  await page.waitForFunction(() => /imagen rechazada/.test(document.querySelector('#estado').textContent));
  a = await actaVer('ALC', clave);
  assert.equal(a.imagen, null, 'no active image: it must be scanned again');
  assert.equal(a.imagenes[0].rechazada, true);
  assertClean(page);
  await page.context().close();
});

test('corte: the acta appears on the public site with its image hash; cotejo accepts it', async () => {
  const r = prep(['corte', '--data', srv.data]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await actaApi('GUB', MIA.clave)).estado, 'PUBLICADA');
  const seccion = Number(MIA.clave.slice(2, 6));
  const site = await srv.req('GET', `/cortes/latest/sitio/GUB/09/seccion/${seccion}.html`);
  assert.equal(site.status, 200);
  const html = site.raw.toString();
  const sha = (await actaApi('GUB', MIA.clave)).imagen;
  assert.ok(html.includes(sha) || html.includes(sha.slice(0, 16)), 'the public site lists the acta with its image hash');

  const page = await nuevaPagina(browser);
  await entrar(page, srv, 'cot', PASSWORD, 'cotejo.html');
  await page.waitForSelector('#campos input');
  assert.match(await page.textContent('#titulo'), new RegExp(MIA.clave));
  await page.waitForSelector('.visor img:not([hidden])');
  await accesible(page);
  await page.screenshot({ path: shot('cotejo') });
  await page.click('#aceptar');
  await page.waitForFunction(() => /aceptada/.test(document.querySelector('#estado').textContent));
  assert.equal((await actaApi('GUB', MIA.clave)).cotejo, 'aceptada');
  assertClean(page);
  await page.context().close();
});

test('acopio: arrival by clave, sin acta with its motivo, fuera de catálogo; expected vs received', async () => {
  const catd = C[5].catd, delCatd = C.filter((c) => c.catd === catd);
  const page = await nuevaPagina(browser);
  await entrar(page, srv, 'aco', PASSWORD, 'acopio.html');
  await page.waitForSelector('#avance tbody tr');
  const fila = (e) => page.locator('#avance tbody tr', { hasText: e }).locator('td');
  assert.equal(await fila('DIP_LOC').nth(0).textContent(), String(delCatd.length), 'esperadas of this CATD');
  await page.selectOption('#eleccion', 'DIP_LOC');
  await page.fill('#clave', delCatd[0].clave.toLowerCase());
  await page.press('#clave', 'Enter');
  await page.waitForSelector('#estado.ok');
  assert.match(await page.textContent('#estado'), /llegada registrada/);
  assert.equal((await actaApi('DIP_LOC', delCatd[0].clave)).estado, 'ACOPIADA');
  await page.waitForFunction(() => document.querySelector('#avance tbody tr:nth-child(2) td:nth-child(3)').textContent === '1');
  await page.fill('#clave', delCatd[1].clave);
  await page.selectOption('#motivo', 'casilla_no_instalada');
  await page.click('text=Registrar sin acta');
  await page.waitForFunction(() => /sin acta/.test(document.querySelector('#estado').textContent));
  const sa = await actaApi('DIP_LOC', delCatd[1].clave);
  assert.equal(sa.estado, 'SIN_ACTA');
  assert.equal(sa.sin_acta, 'casilla_no_instalada');
  await page.fill('#clave', '099999B0100');
  await page.press('#clave', 'Enter');
  await page.waitForSelector('#fuera:not([hidden])');
  await page.click('#registrar-fuera');
  await page.waitForFunction(() => /fuera de catálogo/.test(document.querySelector('#estado').textContent));
  await page.fill('#clave', '12345');
  await page.press('#clave', 'Enter');
  await page.waitForSelector('#estado.mal');
  assert.match(await page.textContent('#estado'), /11 caracteres/);
  await page.fill('#clave', '');
  await accesible(page);
  await page.screenshot({ path: shot('acopio') });
  assertClean(page);
  await page.context().close();
});

test('acopio: the station camera reads the acta\'s QR (clave and election) and registers it', async () => {
  const clave = C.filter((c) => c.catd === C[5].catd)[2].clave;
  const video = await camaraQr(`PREP|ALC|${clave}`, join(srv.dir, 'qr.y4m'));
  const conCamara = await launch(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
    '--use-file-for-fake-video-capture=' + video]);
  try {
    const page = await nuevaPagina(conCamara);
    await page.context().grantPermissions(['camera'], { origin: srv.url });
    await entrar(page, srv, 'aco', PASSWORD, 'acopio.html');
    await page.waitForSelector('#avance tbody tr');
    await page.click('#camara');
    await page.waitForFunction((c) => /llegada registrada/.test(document.querySelector('#estado').textContent) &&
      document.querySelector('#estado').textContent.includes(c), clave, { timeout: 15000 });
    assert.match(await page.textContent('#estado'), /^ALC /, 'the election printed in the QR was used');
    assert.equal((await actaApi('ALC', clave)).estado, 'ACOPIADA');
    assert.equal(await page.locator('#escaner').isHidden(), true, 'the camera stops after a read');
    assertClean(page);
    await page.context().close();
  } finally { await conCamara.close(); }
});

test('digitalización: pick the acopiada acta, send the scan, see its SHA-256 and the image back', async () => {
  const clave = C.filter((c) => c.catd === C[5].catd)[0].clave;
  const page = await nuevaPagina(browser);
  await entrar(page, srv, 'dig', PASSWORD, 'digitalizacion.html');
  await page.waitForSelector('#pendientes tbody tr');
  await page.locator('#pendientes tbody tr', { hasText: clave }).locator('button').click();
  assert.equal(await page.inputValue('#clave'), clave);
  const png = await qrPng(clave, { scale: 7 });
  await page.setInputFiles('#archivo', { name: 'escaneo.png', mimeType: 'image/png', buffer: png });
  await page.waitForFunction((h) => document.querySelector('#sha-local').textContent === h, sha256(png));
  await page.click('#enviar');
  await page.waitForSelector('#recibida:not([hidden])');
  assert.match(await page.textContent('#sha-servidor'), new RegExp(sha256(png) + '.*igual'));
  assert.match(await page.textContent('#qr'), new RegExp(clave + ' ✓'));
  await page.waitForSelector('.visor img:not([hidden])');
  const a = await actaApi('DIP_LOC', clave);
  assert.equal(a.estado, 'DIGITALIZADA');
  assert.equal(a.imagen, sha256(png));
  await accesible(page);
  await page.screenshot({ path: shot('digitalizacion') });
  assertClean(page);
  await page.context().close();
});

test('monitoreo: progress, per hour, capturistas (the one who lost is flagged), refreshes itself', async () => {
  const page = await nuevaPagina(browser);
  await page.clock.install();  // the page's own 15 s refresh, fast-forwarded below instead of waited for
  await entrar(page, srv, 'mon', PASSWORD, 'monitoreo.html');
  await page.goto(srv.url + '/operacion/monitoreo.html?min_capturas=1');
  await page.waitForSelector('#capturistas tbody tr');
  assert.match(await page.textContent('#alertas'), /Capturista cap2/);
  assert.match(await page.textContent('#capturistas tr.alerta'), /cap2/);
  assert.match(await page.textContent('#por-eleccion'), /GUB/);
  assert.match(await page.textContent('#cifras'), /núm\. 1/, 'the corte is shown');
  // Refreshes itself: 15 s later (page clock) it asks the server again, unprompted.
  const [otra] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/monitoreo'), { timeout: 10000 }),
    page.clock.fastForward(16000)]);
  assert.equal(otra.status(), 200);
  await page.waitForFunction(() => /Actualizado a las/.test(document.querySelector('#estado').textContent));
  await accesible(page);
  await page.screenshot({ path: shot('monitoreo'), fullPage: true });
  assertClean(page);
  await page.context().close();
});

test('administración: create an account, change its CATD, disable it; publish a corte; admin only', async () => {
  let page = await nuevaPagina(browser);
  await entrar(page, srv, 'adm', PASSWORD, 'admin.html');
  await page.waitForSelector('#usuarios tbody tr');
  await page.fill('#n-nombre', 'cap9');
  await page.selectOption('#n-rol', 'captura');
  await page.fill('#n-catd', '2');
  await page.fill('#n-password', 'otra-contraseña-9');
  await page.click('text=Crear');
  await page.waitForSelector('#usuarios tbody tr:has-text("cap9")');
  const fila = page.locator('#usuarios tbody tr', { hasText: 'cap9' });
  await fila.locator('input[aria-label="CATD de cap9"]').fill('3');
  await fila.locator('text=Guardar').click();
  await page.waitForFunction(() => /cap9: cambios guardados/.test(document.querySelector('#estado').textContent));
  await page.locator('#usuarios tbody tr', { hasText: 'cap9' }).locator('text=Desactivar').click();
  await page.waitForFunction(() => /cap9: desactivada/.test(document.querySelector('#estado').textContent));
  const us = (await srv.req('GET', '/api/v1/usuarios', { token: await srv.as('adm') })).body.usuarios;
  const u = us.find((x) => x.nombre === 'cap9');
  assert.deepEqual([u.rol, u.catd, u.activo], ['captura', 3, false]);
  const r = await srv.req('POST', '/api/v1/session', { json: { usuario: 'cap9', password: 'otra-contraseña-9', estacion: 'x' } });
  assert.equal(r.status, 401, 'a disabled account cannot log in');
  const antes = (await srv.req('GET', '/api/v1/cortes', { token: await srv.as('adm') })).body.cortes.length;
  await page.click('#corte');
  await page.waitForFunction(() => /publicado/.test(document.querySelector('#estado').textContent));
  assert.equal((await srv.req('GET', '/api/v1/cortes', { token: await srv.as('adm') })).body.cortes.length, antes + 1);
  const log = srv.logShow();
  assert.match(log, /user\.add\s+user\/cap9/);
  assert.match(log, /user\.(update|disable)\s+user\/cap9/);
  assert.match(log, /corte\.solicitado/);
  await accesible(page);
  await page.screenshot({ path: shot('admin') });
  assertClean(page);
  await page.context().close();
  page = await nuevaPagina(browser);
  await entrar(page, srv, 'cap1', PASSWORD, 'captura.html');
  await page.goto(srv.url + '/operacion/admin.html');
  await page.waitForSelector('[role=alert]');
  assert.match(await page.textContent('[role=alert]'), /rol captura/);
  assert.equal((await srv.req('GET', '/api/v1/usuarios', { token: await srv.as('cap1') })).status, 403);
  await page.context().close();
});
