// browser.mjs — headless Debian Chromium for the browser tests, through
// playwright-core (no browser download: executablePath is the system's).
// The flags keep Chromium from reaching for the network at start (this
// machine's network is closed) and let it run as root. Screenshots go to
// tests/browser/screenshots/ (ignored by git) so a person can look at them.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

// extraArgs: more Chromium flags (e.g. a fake camera for the acopio QR test).
export async function launch(extraArgs = []) {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage', ...extraArgs],
  });
}

export function shot(name) { return join(SHOTS, name + '.png'); }
