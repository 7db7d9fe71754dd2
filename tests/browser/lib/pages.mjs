// pages.mjs — helpers of the operator-page browser tests: a real prep serve
// with one user per role (tests/integration/lib/server.mjs), a Chromium page
// at 1366×768 that fails the test on any script error, logging in through
// the login form, and screenshots under tests/browser/screenshots/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, shot } from './browser.mjs';

export { launch, shot };

export const OPERADOR = { width: 1366, height: 768 };
export const TELEFONO = { width: 390, height: 844 };

// A page that records script errors; check with assertClean(page).
export async function nuevaPagina(browser, viewport = OPERADOR, opts = {}) {
  const ctx = await browser.newContext({ viewport, locale: 'es-MX', ...opts });
  const page = await ctx.newPage();
  page.errores = [];
  page.on('pageerror', (e) => page.errores.push(e.message));
  page.on('console', (m) => {
    // A refused request shows as "Failed to load resource": the page reports it itself.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.errores.push(m.text());
  });
  return page;
}

export function assertClean(page) {
  assert.deepEqual(page.errores, [], 'no script errors on ' + page.url());
}

// Accessibility: axe-core's WCAG 2 A/AA rules on the page as it is now; any
// serious or critical violation fails the test. (page.evaluate is not subject
// to the page's CSP, so axe runs without loosening it.)
const AXE = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
export async function accesible(page) {
  await page.evaluate(AXE);
  const v = await page.evaluate(async () => (await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] })).violations
    .filter((x) => x.impact === 'serious' || x.impact === 'critical')
    .map((x) => `${x.id}: ${x.help} — ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`));
  assert.deepEqual(v, [], 'accessibility of ' + page.url());
}

export async function entrar(page, srv, usuario, password, destino) {
  await page.goto(srv.url + '/operacion/');
  await page.fill('#usuario', usuario);
  await page.fill('#password', password);
  await page.fill('#estacion', 'estacion-' + usuario);
  await page.press('#estacion', 'Enter');
  await page.waitForURL('**/operacion/' + destino);
}

// A YUV4MPEG2 file showing `text` as a QR code: Chromium's fake camera
// (--use-file-for-fake-video-capture) plays it, so the acopio page reads a
// real QR through getUserMedia and jsQR.
export async function camaraQr(text, path) {
  const { default: QRCode } = await import('qrcode');
  const { writeFileSync } = await import('node:fs');
  const W = 640, H = 480, q = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  const escala = Math.floor(Math.min(W, H) / (q.size + 8)), x0 = (W - q.size * escala) >> 1, y0 = (H - q.size * escala) >> 1;
  const y = Buffer.alloc(W * H, 235);
  for (let r = 0; r < q.size; r++)
    for (let c = 0; c < q.size; c++)
      if (q.data[r * q.size + c])
        for (let dy = 0; dy < escala; dy++) y.fill(16, (y0 + r * escala + dy) * W + x0 + c * escala, (y0 + r * escala + dy) * W + x0 + (c + 1) * escala);
  const uv = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), y, uv]));
  return path;
}
