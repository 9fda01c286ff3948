import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = resolve(__dirname, '../../../.test-artifacts/screenshots');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  context: BrowserContext;
  /** The page the persistent context opens with. */
  page: Page;
  /** Closes Chromium and removes its profile dir. */
  close(): Promise<void>;
}

/**
 * Debian's Chromium (`apt-get install -y --no-install-recommends chromium`) with a fresh profile,
 * so no cookie survives from another spec. Playwright refuses --user-data-dir in args, hence the
 * persistent context (notes P4).
 */
export async function launchBrowser(): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'caseboard-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    let closed: Promise<void> | undefined;
    return {
      context,
      page,
      close: () =>
        (closed ??= context.close().finally(() => {
          rmSync(userDataDir, { recursive: true, force: true });
        })),
    };
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * SP-initiated login through the SimpleSAMLphp form: `${baseUrl}/login` → IdP form → submit →
 * back on baseUrl (wherever Caseboard lands: `/` when accepted, its error page when refused).
 * Throws when the IdP rejects the password or shows no form (an IdP session already exists).
 */
export async function loginAs(
  page: Page,
  baseUrl: string,
  user: string,
  password: string,
  timeoutMs = 15_000,
): Promise<void> {
  const origin = new URL(baseUrl).origin;
  await page.goto(`${baseUrl.replace(/\/+$/, '')}/login`, { timeout: timeoutMs });
  const username = page.locator('input[name="username"]');
  if ((await username.count()) === 0) {
    throw new Error(`no IdP login form after ${baseUrl}/login (at ${page.url()})`);
  }
  await username.fill(user);
  await page.locator('input[name="password"]').fill(password);
  const backOnSp = page
    .waitForURL((url) => url.origin === origin, { timeout: timeoutMs, waitUntil: 'load' })
    .then(() => 'sp' as const);
  const refused = page
    .getByText('Incorrect username or password')
    .waitFor({ timeout: timeoutMs })
    .then(() => 'refused' as const);
  await page.locator('button[type="submit"]').click();
  const outcome = await Promise.race([backOnSp, refused]);
  if (outcome === 'refused') throw new Error(`the IdP refused the password of "${user}"`);
}

export interface DialogRecord {
  type: string;
  message: string;
  url: string;
}

/**
 * Records (and dismisses) every alert/confirm/prompt/beforeunload the page opens from now on;
 * an XSS spec asserts the returned array is still empty at the end.
 */
export function collectDialogs(page: Page): DialogRecord[] {
  const dialogs: DialogRecord[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push({ type: dialog.type(), message: dialog.message(), url: page.url() });
    dialog.dismiss().catch(() => undefined);
  });
  return dialogs;
}

/** Full-page PNG at .test-artifacts/screenshots/<name>.png; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
