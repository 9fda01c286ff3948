import type { Page } from 'playwright-core';
import { startStack, type AppStack } from '../support/app-stack.js';
import { collectDialogs, type BrowserSession, type DialogRecord } from '../support/browser.js';
import {
  ApiClient,
  openTable,
  redraw,
  searchBox,
  signIn,
  type ApiCase,
  rowId,
  type TableRow,
} from './browser-kit.js';

jest.setTimeout(120_000);

/** The payloads test/simulators plants (vocabulary.ts XSS_TITLES), as they must show: as text. */
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
] as const;
const isPlanted = (text: string | null) => PAYLOADS.some((p) => text?.includes(p) ?? false);

interface Evidence {
  dialogs: DialogRecord[];
  pageErrors: string[];
  cspViolations: string[];
  /** Requests an injected `<img src=x>` would make. */
  strayRequests: string[];
}

/** What a live payload would leave behind in the page as it stands. */
async function expectInert(page: Page, where: string): Promise<void> {
  const handlers = await page.locator('*').evaluateAll((nodes: unknown[]) =>
    nodes.flatMap((node) => {
      const el = node as { tagName: string; attributes: ArrayLike<{ name: string }> };
      return Array.from(el.attributes)
        .filter((attribute) => /^on/i.test(attribute.name))
        .map((attribute) => `<${el.tagName.toLowerCase()} ${attribute.name}>`);
    }),
  );
  const scripts = await page
    .locator('script')
    .evaluateAll((nodes: unknown[]) =>
      nodes
        .map((node) => (node as { textContent: string | null }).textContent ?? '')
        .filter((text) => text.includes('alert')),
    );
  const scriptUrls = await page
    .locator('a[href], area[href], iframe[src], form[action], [formaction]')
    .evaluateAll((nodes: unknown[]) =>
      nodes
        .map((node) => {
          const el = node as { getAttribute(name: string): string | null };
          return (
            el.getAttribute('href') ??
            el.getAttribute('src') ??
            el.getAttribute('action') ??
            el.getAttribute('formaction') ??
            ''
          );
        })
        .filter((value) => /^\s*javascript:/i.test(value)),
    );
  const injected = await page.locator('img[src="x"], svg, iframe, object, embed').count();
  expect({ where, handlers, scripts, scriptUrls, injected }).toEqual({
    where,
    handlers: [],
    scripts: [],
    scriptUrls: [],
    injected: 0,
  });
}

/** The planted text shows literally, as text a reader can see. */
async function expectLiteral(page: Page, text: string, within = 'body'): Promise<void> {
  const shown = page.locator(within).getByText(text, { exact: true }).first();
  await expect(shown.isVisible()).resolves.toBe(true);
}

describe('Caseboard in the browser: the planted XSS corpus renders inert', () => {
  let stack: AppStack;
  let admin: ApiClient;
  let session: BrowserSession;
  let page: Page;
  let planted: ApiCase[];
  let linker: TableRow;
  const evidence: Evidence = { dialogs: [], pageErrors: [], cspViolations: [], strayRequests: [] };

  beforeAll(async () => {
    stack = await startStack({ name: 'browser-xss', glpi: 1200, jira: 250, bugzilla: 250 });
    admin = await ApiClient.forRole(stack, 'admin');
    const all = await admin.allCases();
    planted = all.filter((c) => isPlanted(c.title));
    // A case whose linked cases include a planted one (its child row and page show that title).
    const plantedIds = new Set(planted.map((c) => c.id));
    const candidate = all.find((c) => c.links.some((l) => plantedIds.has(`${l.source}:${l.key}`)));
    if (candidate) {
      const rows = await admin.datatable({ length: 50, q: candidate.key });
      linker = rows.data.find((r) => r.source === candidate.source && r.key === candidate.key)!;
    }

    session = await signIn(stack, 'carol');
    page = session.page;
    evidence.dialogs = collectDialogs(page);
    page.on('pageerror', (error) => evidence.pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) {
        evidence.cspViolations.push(`${page.url()}: ${message.text()}`);
      }
    });
    page.on('request', (request) => {
      if (/\/x$/.test(new URL(request.url()).pathname)) evidence.strayRequests.push(request.url());
    });
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  afterEach(() => {
    // Nothing ran: no dialog, no script error, nothing the CSP had to stop, no <img src=x> load.
    const seen = {
      dialogs: evidence.dialogs.splice(0),
      pageErrors: evidence.pageErrors.splice(0),
      cspViolations: evidence.cspViolations.splice(0),
      strayRequests: evidence.strayRequests.splice(0),
    };
    expect(seen).toEqual({
      dialogs: [],
      pageErrors: [],
      cspViolations: [],
      strayRequests: [],
    });
  });

  it('should have the corpus in the synced data (so the checks below are not vacuous)', () => {
    const payloads = PAYLOADS.filter((p) => planted.some((c) => c.title.includes(p)));
    expect(payloads).toEqual(expect.arrayContaining([PAYLOADS[0], PAYLOADS[1]]));
    expect(new Set(planted.map((c) => c.source))).toEqual(new Set(['glpi', 'jira', 'bugzilla']));
    expect(linker).toBeDefined();
    expect(linker.linked.some((l) => isPlanted(l.title))).toBe(true);
  });

  it('should keep the dashboard inert', async () => {
    await page.goto(`${stack.baseUrl}/`);
    await page.locator('#stats[data-state="ready"]').waitFor();
    await expectInert(page, 'dashboard');
  });

  it('should show planted titles as text in the case table', async () => {
    const answer = await openTable(page, stack.baseUrl, '/cases?q=alert');
    expect(answer.data.map(rowId).sort()).toEqual(planted.map((c) => c.id).sort());
    for (const c of planted) await expectLiteral(page, c.title, '#cases');
    await expectInert(page, 'case table');
  });

  it('should show a planted title as text in a child row', async () => {
    await openTable(page, stack.baseUrl);
    await redraw(page, () => searchBox(page).fill(linker.key));
    const row = page
      .locator('#cases > tbody > tr')
      .filter({ has: page.locator(`span.src-${linker.source}`) })
      .filter({ has: page.locator('td.col-key').getByText(linker.key, { exact: true }) });
    await row.locator('button.details-toggle').click();
    await page.locator('#cases .case-details').waitFor();
    for (const l of linker.linked.filter((x) => isPlanted(x.title))) {
      await expectLiteral(page, l.title!, '#cases .case-details');
    }
    await expectInert(page, 'child row');
  });

  it('should show planted titles as text on their case pages and as linked cases', async () => {
    for (const c of planted) {
      const response = await page.goto(
        `${stack.baseUrl}/cases/${c.source}/${encodeURIComponent(c.key)}`,
      );
      expect(response?.status()).toBe(200);
      await expect(page.locator('#case-title').textContent()).resolves.toBe(c.title);
      await expectLiteral(page, c.title, 'h1');
      await expectInert(page, `case page ${c.id}`);
    }
    await page.goto(`${stack.baseUrl}${linker.href}`);
    for (const l of linker.linked.filter((x) => isPlanted(x.title))) {
      await expectLiteral(page, l.title!, '#case-linked');
    }
    await expectInert(page, `case page ${rowId(linker)}`);
  });

  it('should keep the SLA page inert', async () => {
    await page.goto(`${stack.baseUrl}/sla`);
    await expectInert(page, 'SLA page');
  });

  it('should show planted titles as text in the weekly report', async () => {
    // The most recently updated planted case, so the report stays short.
    const dated = await Promise.all(
      planted.map(async (p) => ({
        c: p,
        updatedAt: (await admin.get<{ updatedAt: string }>(`/api/v1/cases/${p.source}/${p.key}`))
          .updatedAt,
      })),
    );
    const { c, updatedAt } = dated.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
    await page.goto(`${stack.baseUrl}/reports/weekly?since=${encodeURIComponent(updatedAt)}`);
    await expectLiteral(page, c.title, '#weekly-report');
    await expectInert(page, 'weekly report');
  });

  it('should show planted titles as text on account and engineer drill-downs', async () => {
    const [c] = planted.filter((p) => p.account !== null && p.assignee !== null);
    const account = await openTable(
      page,
      stack.baseUrl,
      `/accounts/${encodeURIComponent(c.account!)}?q=alert`,
    );
    expect(account.data.map(rowId)).toContain(c.id);
    await page.locator('#stats[data-state="ready"]').waitFor();
    await expectLiteral(page, c.title, '#cases');
    await expectInert(page, 'account page');

    const engineer = await openTable(
      page,
      stack.baseUrl,
      `/engineers/${encodeURIComponent(c.assignee!)}?q=alert`,
    );
    expect(engineer.data.map(rowId)).toContain(c.id);
    await page.locator('#stats[data-state="ready"]').waitFor();
    await expectLiteral(page, c.title, '#cases');
    await expectInert(page, 'engineer page');
  });

  it('should keep payloads in the URL inert: search, case key and account name', async () => {
    const search = await openTable(
      page,
      stack.baseUrl,
      `/cases?q=${encodeURIComponent(PAYLOADS[1])}`,
    );
    await expect(searchBox(page).inputValue()).resolves.toBe(PAYLOADS[1]);
    expect(search.data.length).toBeGreaterThan(0);
    for (const row of search.data) await expectLiteral(page, row.title, '#cases');
    await expectInert(page, 'search from the URL');

    const missing = await page.goto(
      `${stack.baseUrl}/cases/glpi/${encodeURIComponent(PAYLOADS[2])}`,
    );
    expect(missing?.status()).toBe(404);
    await expect(page.locator('#error-message').textContent()).resolves.toContain(PAYLOADS[2]);
    await expectInert(page, 'error page');

    const named = await page.goto(`${stack.baseUrl}/accounts/${encodeURIComponent(PAYLOADS[2])}`);
    expect(named?.status()).toBe(200);
    await page.locator('#stats[data-state="ready"]').waitFor();
    await page.locator('#cases[data-state="ready"]').waitFor({ state: 'attached' });
    await expect(page.locator('h1').textContent()).resolves.toContain(PAYLOADS[2]);
    await expectInert(page, 'account page named by a payload');
  });
});
