// site.test.mjs — the public results site of a real corte in headless
// Chromium: actas driven through the HTTP API of a real `prep serve`
// (image with its QR, two captures, verification), `prep corte`, then a
// reader goes from the CDMX total down to one casilla, its acta image and
// its SHA-256; the tables without JavaScript; the keyboard alone; a phone
// screen; and the bytes a results page costs to load. Screenshots land in
// tests/browser/screenshots/ for a person to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, casillas, smallCatalog, qrPng, sha256, valores, prep } from '../integration/lib/server.mjs';
import { launch, shot } from './lib/browser.mjs';

let srv, browser, site;
const C = casillas();
const N = 4; // actas published, all in the first sección
const actas = []; // { clave, sha }

function distritoOf(seccion) {
  const lines = readFileSync(join(smallCatalog(), 'secciones.csv'), 'utf8').trim().split(/\r?\n/);
  const head = lines[0].replace(/^\uFEFF/, '').split(',');
  const row = lines.slice(1).map((l) => l.split(',')).find((f) => +f[head.indexOf('SECCION')] === seccion);
  return +row[head.indexOf('ID_DISTRITO')];
}

before(async () => {
  srv = await startServer({ users: [
    { name: 'dig', role: 'digitalizacion' }, { name: 'cap1', role: 'captura' },
    { name: 'cap2', role: 'captura' }, { name: 'ver', role: 'verificacion' },
  ] });
  // The casillas of the first sección first, so one page shows several.
  const first = C[0].clave.slice(2, 6);
  const pick = [...C.filter((c) => c.clave.slice(2, 6) === first), ...C.filter((c) => c.clave.slice(2, 6) !== first)];
  for (const c of pick.slice(0, N)) {
    const p = srv.acta('GUB', c.clave);
    const png = await qrPng(c.clave);
    let r = await srv.req('POST', p + '/imagenes', {
      token: await srv.as('dig'), body: png,
      headers: { 'Content-Type': 'image/png', 'X-Content-SHA256': sha256(png), 'X-Origen': 'CATD' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const acta = (await srv.req('GET', p, { token: await srv.as('cap1') })).body;
    const vals = valores(acta, 3);
    for (const u of ['cap1', 'cap2']) {
      r = await srv.req('POST', p + '/capturas', { token: await srv.as(u), json: { valores: vals } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    r = await srv.req('POST', p + '/verificacion', { token: await srv.as('ver'), json: { resultado: 'acepta' } });
    assert.equal(r.body.acta.estado, 'VERIFICADA');
    actas.push({ clave: c.clave, sha: sha256(png) });
  }
  const r = prep(['corte', '--data', srv.data, '--json']);
  assert.equal(r.code, 0, r.stderr);
  site = JSON.parse(r.stdout);
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

const seccion = () => +actas[0].clave.slice(2, 6);

test('from the CDMX total down to one casilla, its acta image and SHA-256', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const refused = []; // the site runs under script-src 'self': no inline script
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });
  const res = await page.goto(srv.url + '/');
  assert.equal(res.status(), 200);
  assert.match(await page.title(), /Corte \d+/);
  await page.screenshot({ path: shot('site-inicio'), fullPage: true });

  await page.getByRole('link', { name: 'JEFATURA DE GOBIERNO', exact: true }).first().click();
  await page.waitForURL(/\/GUB\/09\/index\.html$/);
  const h1 = await page.locator('h1').innerText();
  assert.match(h1, /JEFATURA DE GOBIERNO/);
  const resumen = await page.locator('table.resumen').first().innerText();
  assert.match(resumen, new RegExp(`Actas capturadas\\s+${N}\\b`), resumen);
  assert.match(resumen, new RegExp(`Actas contabilizadas\\s+${N}\\b`), resumen);
  assert.match(await page.locator('body').innerText(), /muestran sólo cuatro dígitos/, 'the 4-decimal legend is shown');
  await page.screenshot({ path: shot('site-entidad'), fullPage: true });

  await page.locator(`a[href$="distrito/${distritoOf(seccion())}.html"]`).first().click();
  await page.waitForURL(/distrito\/\d+\.html$/);
  await page.screenshot({ path: shot('site-distrito'), fullPage: true });

  await page.locator(`a[href$="seccion/${seccion()}.html"]`).first().click();
  await page.waitForURL(new RegExp(`seccion/${seccion()}\\.html$`));
  // The sección page names no corte (it is linked unchanged from corte to
  // corte); prep.js shows the one being consulted, from json/index.json.
  await page.waitForFunction(() => /^Corte \d+/.test(document.querySelector('#corte').textContent));
  assert.match(await page.locator('#corte').innerText(), new RegExp(`^Corte ${site.numero}: \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d \\(UTC-6\\)\\.`));
  const art = page.locator(`#c${actas[0].clave}`);
  await art.scrollIntoViewIfNeeded();
  const text = await art.innerText();
  assert.ok(text.includes(actas[0].sha), 'the casilla shows its SHA-256: ' + text);
  assert.match(text, /\d\d\/\d\d\/\d{4} \d\d:\d\d/, 'and its timestamps');
  await page.screenshot({ path: shot('site-seccion'), fullPage: true });

  const img = art.locator(`a[href*="${actas[0].sha}"]`).first();
  assert.ok(await img.count(), 'a link to the acta image');
  const href = await img.getAttribute('href');
  const imgRes = await page.request.get(new URL(href, page.url()).href);
  assert.equal(imgRes.status(), 200);
  assert.equal(sha256(await imgRes.body()), actas[0].sha, 'the image served is the one hashed');
  assert.deepEqual(refused, [], 'nothing on the site was refused by its Content-Security-Policy');
  await page.close();
});

test('the tables work with JavaScript disabled', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/cortes/${site.directorio.split('/').pop()}/sitio/GUB/09/seccion/${seccion()}.html`);
  const rows = await page.locator('main table tbody tr').count();
  assert.ok(rows > 5, `tables rendered server-side (${rows} rows)`);
  const art = await page.locator(`#c${actas[0].clave}`).innerText();
  assert.ok(art.includes(actas[0].sha));
  assert.match(await page.locator('#corte').innerText(), /página de inicio/, 'without the script, the header points to the corte\'s time');
  await page.screenshot({ path: shot('site-sin-js'), fullPage: true });
  await ctx.close();
});

test('once the next corte is overdue, every page says the update is late', async () => {
  const dir = site.directorio.split('/').pop();
  for (const path of ['GUB/09/index.html', `GUB/09/seccion/${seccion()}.html`]) {
    const page = await browser.newPage();
    await page.clock.install({ time: Date.now() + 3 * 3600 * 1000 }); // the reader's clock, 3 h on
    await page.goto(`${srv.url}/cortes/${dir}/sitio/${path}`);
    await page.locator('#retraso').waitFor({ state: 'visible', timeout: 5000 });
    assert.match(await page.locator('#retraso').innerText(), /se ha retrasado/, path);
    await page.close();
    const fresh = await browser.newPage(); // on time: no notice
    await fresh.goto(`${srv.url}/cortes/${dir}/sitio/${path}`);
    await fresh.waitForLoadState('networkidle');
    assert.equal(await fresh.locator('#retraso').isVisible(), false, path);
    await fresh.close();
  }
});

test('keyboard: skip link first, then every link reachable with Tab and Enter', async () => {
  const page = await browser.newPage();
  await page.goto(srv.url + '/');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Saltar al contenido');
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement.textContent.trim() === 'JEFATURA DE GOBIERNO');
  }
  assert.ok(reached, 'the GUB link is reachable with Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused link is visibly marked');
  await page.screenshot({ path: shot('site-teclado') });
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/GUB\/09\/index\.html$/);
  await page.close();
});

test('fits a phone screen', async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  await page.goto(srv.url + '/');
  const root = page.url(); // the site's index.html, which relative links start from
  for (const path of ['index.html', 'GUB/09/index.html', `GUB/09/seccion/${seccion()}.html`]) {
    const res = await page.goto(new URL(path, root).href);
    assert.equal(res.status(), 200, path);
    // On a phone the layout viewport grows to fit what is too wide, so compare
    // with the screen itself; wide tables scroll inside their own box.
    const w = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, inner: window.innerWidth }));
    assert.ok(w.page <= 360 && w.inner <= 360, `${path}: laid out ${w.page}px wide on a 360px screen`);
    await page.screenshot({ path: shot('site-movil-' + path.replace(/\.html$/, '').replace(/\//g, '-')), fullPage: true });
  }
  await ctx.close();
});

test('a results page weighs under 100 KB transferred', async () => {
  // A fresh context per page: nothing cached, every byte counted.
  const root = `${srv.url}/cortes/${site.directorio.split('/').pop()}/sitio/`;
  const weigh = async (path) => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const reqs = [];
    page.on('requestfinished', (r) => reqs.push(r));
    const res = await page.goto(root + path, { waitUntil: 'networkidle' });
    assert.equal(res.status(), 200, path);
    let bytes = 0;
    for (const r of reqs) {
      const s = await r.sizes();
      bytes += s.responseBodySize + s.responseHeadersSize;
    }
    await ctx.close();
    return { bytes, requests: reqs.length };
  };
  const results = {};
  for (const p of ['index.html', 'GUB/09/index.html', 'DIP_LOC/09/index.html', `GUB/09/distrito/${distritoOf(seccion())}.html`,
    `GUB/09/seccion/${seccion()}.html`]) results[p] = await weigh(p);
  console.log('# page weights (bytes, requests, cold cache):', JSON.stringify(results));
  for (const [p, w] of Object.entries(results)) assert.ok(w.bytes < 100 * 1024, `${p}: ${w.bytes} bytes`);
});
