// Browser journeys: the real app listening on a loopback port, one shared Chromium per test file
// (DESIGN.md "Keeping the suite fast"), a fresh context per test, and full-page screenshots.
// Chromium is Debian's /usr/bin/chromium (packages chromium and fonts-noto-cjk); a missing one is
// an error, never a skip, so CI cannot silently pass without running the journeys.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { getTestInstance, type TestInstance, type TestOptions } from './app.ts';
import { checkLandings } from './page-checks.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const screenshotDir = new URL('../../test-results/screenshots/', import.meta.url).pathname;

export interface ServedInstance extends TestInstance {
  /** Origin of the listening server, e.g. http://127.0.0.1:40123 (no trailing slash). */
  baseURL: string;
}

export interface ServedOptions extends TestOptions {
  /**
   * The host name browsers use (PUBLIC_URL and baseURL): 127.0.0.1 by default; `localhost` where
   * WebAuthn is used, whose RP ID must be a domain, not an IP address. It listens on 127.0.0.1 either way.
   */
  publicHost?: '127.0.0.1' | 'localhost';
}

/** getTestInstance, then listen on 127.0.0.1 on a free port. close() also stops listening. */
export async function getServedInstance(options: ServedOptions = {}): Promise<ServedInstance> {
  // The port is chosen first so that PUBLIC_URL (links in messages, the SSO issuer) is the real one.
  const port = await freePort();
  const host = options.publicHost ?? '127.0.0.1';
  const t = await getTestInstance({ ...options, env: { PUBLIC_URL: `http://${host}:${port}`, ...options.env } });
  try {
    await t.app.listen({ host: '127.0.0.1', port });
  } catch (error) {
    await t.close();
    throw error;
  }
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error(`unexpected server address: ${String(address)}`);
  const baseURL = `http://${host}:${address.port}`;
  // Ready over the wire before any browser comes. This also matters for close(): Kysely only
  // destroys a driver it has used, so a PGlite never queried would stay open and its timer
  // would keep the test process alive after an early failure (e.g. Chromium missing).
  const ready = await fetch(`${baseURL}/readyz`);
  if (ready.status !== 200) {
    await t.close();
    throw new Error(`${baseURL}/readyz answered ${ready.status}: ${await ready.text()}`);
  }
  return { ...t, baseURL };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address !== 'string' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The one Chromium of a test file: launch it in before(), close it in after(). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: the browser journeys need Chromium and CJK fonts. ` +
        'Install the Debian packages: apt-get install chromium fonts-noto-cjk (CI installs them).',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      // localhost (a served instance's publicHost) is the loopback address the server listens on.
      '--host-resolver-rules=MAP localhost 127.0.0.1',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
}

/**
 * A fresh context (no cookies, zh-CN) with one page whose relative URLs resolve against baseURL.
 * Every page of the app it lands on is checked (page-checks.ts: axe-core and the phone layout).
 */
export async function openPage(browser: Browser, baseURL: string, options: BrowserContextOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({ locale: 'zh-CN', baseURL, ...options });
  // Fail sooner than Playwright's default 30 s on a page that never settles.
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const page = await context.newPage();
  // The checks run scripts in the page, which a context without JavaScript never runs (an
  // evaluate there waits forever); such journeys' pages are checked where a journey has scripts.
  if (options.javaScriptEnabled !== false) checkLandings(page, baseURL);
  return { context, page };
}

/** Saves a full-page PNG to test-results/screenshots/<name>.png (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
