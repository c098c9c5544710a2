/**
 * Before the browser suites: make sure a Chromium exists. Found in order: `PARLEY_CHROMIUM`,
 * the system's (Debian's /usr/bin/chromium), Playwright's own download. On a fresh laptop with
 * none of them, Playwright's is installed here (`playwright install chromium`), saying so. Under
 * CI a missing browser is an error: CI installs Debian's (.ci/run), and a silent download there
 * would hide that.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { chromiumPath } from '../tests/fixtures/chromium';

function playwrightsOwn(): string | undefined {
  try {
    const path = chromium.executablePath();
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const found = chromiumPath() ?? playwrightsOwn();
if (found) {
  console.log(`Browser tests use Chromium at ${found}`);
} else if (process.env.CI) {
  console.error('No Chromium found: install it (apt-get install -y chromium) or set PARLEY_CHROMIUM.');
  process.exit(1);
} else {
  console.log('No Chromium found (PARLEY_CHROMIUM, /usr/bin/chromium, Playwright’s own): installing Playwright’s now…');
  execFileSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' });
}
