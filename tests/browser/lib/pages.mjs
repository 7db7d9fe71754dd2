// pages.mjs — helpers of the operator-page browser tests: a real prep serve
// with one user per role (tests/integration/lib/server.mjs), a Chromium page
// at 1366×768 that fails the test on any script error, logging in through
// the login form, and screenshots under tests/browser/screenshots/.
import assert from 'node:assert/strict';
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

export async function entrar(page, srv, usuario, password, destino) {
  await page.goto(srv.url + '/operacion/');
  await page.fill('#usuario', usuario);
  await page.fill('#password', password);
  await page.fill('#estacion', 'estacion-' + usuario);
  await page.press('#estacion', 'Enter');
  await page.waitForURL('**/operacion/' + destino);
}
