import type { Page } from 'playwright-core';
import { startStack, type AppStack } from '../support/app-stack.js';
import {
  collectDialogs,
  screenshot,
  type BrowserSession,
  type DialogRecord,
} from '../support/browser.js';
import {
  ApiClient,
  downloadedText,
  header,
  openTable,
  parseCsv,
  redraw,
  searchBox,
  selectedValues,
  shownIds,
  signIn,
  tableRows,
  type ApiCase,
  type DataTablesAnswer,
  rowId,
  type TableRow,
} from './browser-kit.js';

jest.setTimeout(120_000);

const ids = (items: ApiCase[]) => items.map((c) => `${c.source}:${c.key}`);
const nextPage = (page: Page) =>
  page.locator('#cases_wrapper button.dt-paging-button[data-dt-idx="next"]');

describe('Caseboard in the browser: the case table', () => {
  let stack: AppStack;
  let lead: ApiClient;
  let session: BrowserSession;
  let page: Page;
  let total: number;
  let dialogs: DialogRecord[] = [];

  beforeAll(async () => {
    stack = await startStack({ name: 'browser-table', glpi: 1200, jira: 250, bugzilla: 250 });
    lead = await ApiClient.forRole(stack, 'lead');
    total = (await lead.cases({ limit: 1 })).total;
    session = await signIn(stack, 'bob');
    page = session.page;
    dialogs = collectDialogs(page);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  afterEach(() => {
    // DataTables reports errors with alert() unless told otherwise: none may reach the user.
    expect(dialogs.splice(0)).toEqual([]);
  });

  it('should load the first page as the API lists it', async () => {
    const answer = await openTable(page, stack.baseUrl);
    expect(answer.recordsTotal).toBe(total);
    expect(answer.recordsFiltered).toBe(total);
    const expected = await lead.cases({ sort: '-updatedAt', limit: 50 });
    await expect(shownIds(page)).resolves.toEqual(ids(expected.items));
    await expect(page.locator('#cases-error').textContent()).resolves.toBe('');
    await screenshot(page, 'cases');
  });

  it('should narrow the rows with the global search as the API does with q', async () => {
    await openTable(page, stack.baseUrl);
    const answer = await redraw(page, () => searchBox(page).fill('login'));
    const expected = await lead.cases({ q: 'login', sort: '-updatedAt', limit: 50 });
    expect(expected.total).toBeGreaterThan(0);
    expect(expected.total).toBeLessThan(total);
    expect(answer.recordsFiltered).toBe(expected.total);
    expect(answer.recordsTotal).toBe(total);
    await expect(shownIds(page)).resolves.toEqual(ids(expected.items));
    expect(new URL(page.url()).searchParams.get('q')).toBe('login');
  });

  it('should sort by a column header, toggle the order and add a second column', async () => {
    await openTable(page, stack.baseUrl);
    const titles = async () => (await tableRows(page)).map((row) => row.title);

    await redraw(page, () => header(page, 'Title').click());
    const asc = await lead.cases({ sort: 'title', limit: 50 });
    await expect(titles()).resolves.toEqual(asc.items.map((c) => c.title));

    await redraw(page, () => header(page, 'Title').click());
    const desc = await lead.cases({ sort: '-title', limit: 50 });
    await expect(titles()).resolves.toEqual(desc.items.map((c) => c.title));
    expect(desc.items[0].title).not.toBe(asc.items[0].title);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-title');

    await redraw(page, () => header(page, 'Account').click({ modifiers: ['Shift'] }));
    const both = await lead.cases({ sort: '-title,account', limit: 50 });
    const rows = await tableRows(page);
    expect(rows.map((r) => [r.title, r.account])).toEqual(
      both.items.map((c) => [c.title, c.account ?? '—']),
    );
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-title,account');
  });

  it.each([
    ['source', 'jira'],
    ['status', 'pending'],
    ['severity', 'urgent'],
    ['account', 'Initech'],
    ['assignee', 'dbernard'],
  ] as const)('should filter on %s = %s as the API does', async (name, value) => {
    await openTable(page, stack.baseUrl);
    const select = page.locator(`#filter-${name}`);
    const answer = await redraw(page, () => select.selectOption(value));
    const expected = await lead.cases({ [name]: value, limit: 1 });
    expect(expected.total).toBeGreaterThan(0);
    expect(expected.total).toBeLessThan(total);
    expect(answer.recordsFiltered).toBe(expected.total);
    const shown = (await tableRows(page)).map((row) => row[name]);
    expect(shown.length).toBe(Math.min(50, expected.total));
    expect(new Set(shown)).toEqual(new Set([value]));
    expect(new URL(page.url()).searchParams.get(name)).toBe(value);

    const cleared = await redraw(page, () => select.selectOption([]));
    expect(cleared.recordsFiltered).toBe(total);
  });

  it('should combine several values of one filter and clear them all', async () => {
    await openTable(page, stack.baseUrl);
    const answer = await redraw(page, () =>
      page.locator('#filter-status').selectOption(['new', 'pending']),
    );
    const expected = await lead.cases({ status: 'new,pending', limit: 1 });
    expect(answer.recordsFiltered).toBe(expected.total);
    const shown = new Set((await tableRows(page)).map((row) => row.status));
    expect([...shown].every((s) => s === 'new' || s === 'pending')).toBe(true);

    const cleared = await redraw(page, () => page.locator('#filter-clear').click());
    expect(cleared.recordsFiltered).toBe(total);
    await expect(selectedValues(page.locator('#filter-status'))).resolves.toEqual([]);
  });

  it('should page to page 2 and show 100 rows at page length 100', async () => {
    await openTable(page, stack.baseUrl);
    const first = await shownIds(page);
    await redraw(page, () => nextPage(page).click());
    const second = await shownIds(page);
    const expected = await lead.cases({ sort: '-updatedAt', offset: 50, limit: 50 });
    expect(second).toEqual(ids(expected.items));
    expect(second[0]).not.toBe(first[0]);
    expect(new URL(page.url()).searchParams.get('start')).toBe('50');

    await redraw(page, () => page.locator('#cases_wrapper .dt-length select').selectOption('100'));
    const hundred = await shownIds(page);
    expect(hundred).toHaveLength(100);
    const expected100 = await lead.cases({ sort: '-updatedAt', limit: 100 });
    expect(hundred).toEqual(ids(expected100.items));
  });

  it('should bring the same view back from the URL in a new page', async () => {
    await openTable(page, stack.baseUrl);
    await redraw(page, () => page.locator('#filter-source').selectOption('glpi'));
    await redraw(page, () => page.locator('#filter-severity').selectOption(['high', 'normal']));
    await redraw(page, () => page.locator('#cases_wrapper .dt-length select').selectOption('25'));
    await redraw(page, () => searchBox(page).fill('report'));
    await redraw(page, () => header(page, 'Account').click());
    const view = await redraw(page, () => nextPage(page).click());
    expect(view.recordsFiltered).toBeGreaterThan(25);
    const shown = await shownIds(page);

    const query = { source: 'glpi', severity: 'high,normal', q: 'report', sort: 'account' };
    const expected = await lead.cases({ ...query, offset: 25, limit: 25 });
    expect(shown).toEqual(ids(expected.items));
    expect(view.recordsFiltered).toBe(expected.total);
    const url = page.url();
    expect(Object.fromEntries(new URL(url).searchParams)).toEqual({
      ...query,
      start: '25',
      length: '25',
    });

    const again = await session.context.newPage();
    try {
      const restored = await openTable(again, url, '');
      expect(restored.recordsFiltered).toBe(view.recordsFiltered);
      await expect(shownIds(again)).resolves.toEqual(shown);
      await expect(selectedValues(again.locator('#filter-source'))).resolves.toEqual(['glpi']);
      await expect(selectedValues(again.locator('#filter-severity'))).resolves.toEqual([
        'high',
        'normal',
      ]);
      await expect(searchBox(again).inputValue()).resolves.toBe('report');
      await expect(again.locator('#cases_wrapper .dt-length select').inputValue()).resolves.toBe(
        '25',
      );
      await expect(
        again.locator('#cases_wrapper .dt-paging-button.current').textContent(),
      ).resolves.toBe('2');
      expect(again.url()).toBe(url);
    } finally {
      await again.close();
    }
  });

  describe('a case with linked cases', () => {
    let linker: TableRow;

    beforeAll(async () => {
      // A JIRA issue whose links are all synced, so each shows a title and a status.
      const rows = await lead.datatable({ length: 500, source: 'jira' });
      const found = rows.data.find(
        (r) => r.linked.length >= 2 && r.linked.every((l) => l.status !== null),
      );
      if (!found) throw new Error('no JIRA issue with two or more synced links in the data set');
      linker = found;
    });

    async function showLinker(): Promise<DataTablesAnswer> {
      await openTable(page, stack.baseUrl);
      return redraw(page, () => searchBox(page).fill(linker.key));
    }

    const linkerRow = () =>
      page.locator('#cases > tbody > tr').filter({
        has: page.locator('td.col-key').getByText(linker.key, { exact: true }),
      });

    it('should open a child row listing the linked cases with their status', async () => {
      const answer = await showLinker();
      expect(answer.data.map(rowId)).toContain(rowId(linker));
      const toggle = linkerRow().locator('button.details-toggle');
      await expect(toggle.textContent()).resolves.toContain(String(linker.linked.length));
      await toggle.click();
      const details = page.locator('#cases .case-details');
      await details.waitFor();
      await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
      const items = await details.locator('li').evaluateAll((nodes: unknown[]) =>
        nodes.map((node) => {
          const li = node as {
            firstElementChild: { textContent: string | null } | null;
            querySelector(s: string): { textContent: string | null } | null;
          };
          return {
            key: li.firstElementChild?.textContent ?? '',
            status: li.querySelector('.status')?.textContent ?? null,
          };
        }),
      );
      expect(items.sort((a, b) => a.key.localeCompare(b.key))).toEqual(
        linker.linked
          .map((l) => ({ key: l.key, status: l.status }))
          .sort((a, b) => a.key.localeCompare(b.key)),
      );

      await toggle.click();
      await expect(page.locator('#cases .case-details').count()).resolves.toBe(0);
    });

    it('should open the case page from its title, with fields and linked cases', async () => {
      await showLinker();
      await linkerRow().locator('a.case-title').click();
      await page.waitForURL((url) => url.pathname === linker.href);
      const fresh = await lead.get<ApiCase>(
        `/api/v1/cases/${linker.source}/${encodeURIComponent(linker.key)}`,
      );
      await expect(page.locator('#case-key').textContent()).resolves.toBe(fresh.key);
      await expect(page.locator('#case-title').textContent()).resolves.toBe(fresh.title);
      await expect(page.locator('#case-upstream a').getAttribute('href')).resolves.toBe(fresh.url);
      const fields = await page.locator('#case-fields').textContent();
      for (const value of [fresh.status, fresh.severity, fresh.account, fresh.assignee]) {
        expect(fields).toContain(value);
      }
      await expect(page.locator('#case-sla').isVisible()).resolves.toBe(true);
      await expect(page.locator('#case-timeline').isVisible()).resolves.toBe(true);

      const linked = await page.locator('#case-linked tbody tr').evaluateAll((rows: unknown[]) =>
        rows.map((row) => {
          const cells = Array.from(
            (row as { cells: ArrayLike<{ textContent: string | null }> }).cells,
          ).map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim());
          return { key: cells[0], title: cells[1], status: cells[2] };
        }),
      );
      const expected = await Promise.all(
        fresh.links.map(async (link) => {
          const other = await lead.get<ApiCase>(
            `/api/v1/cases/${link.source}/${encodeURIComponent(link.key)}`,
          );
          return { key: `${link.source} ${link.key}`, title: other.title, status: other.status };
        }),
      );
      const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
      expect(linked.sort(byKey)).toEqual(expected.sort(byKey));
      await screenshot(page, 'case');
    });
  });

  it('should export the filtered view as CSV with as many rows as the table counts', async () => {
    await openTable(page, stack.baseUrl);
    await redraw(page, () => page.locator('#filter-source').selectOption('jira'));
    await redraw(page, () => page.locator('#filter-status').selectOption('closed'));
    const view = await redraw(page, () => searchBox(page).fill('on'));
    expect(view.recordsFiltered).toBeGreaterThan(0);
    expect(view.recordsFiltered).toBeLessThan(total);

    const href = await page.locator('#export-csv').getAttribute('href');
    const params = new URL(href!, stack.baseUrl).searchParams;
    expect([params.get('source'), params.get('status'), params.get('q')]).toEqual([
      'jira',
      'closed',
      'on',
    ]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#export-csv').click(),
    ]);
    const records = parseCsv(await downloadedText(download));
    const [head, ...rows] = records;
    expect(head.slice(0, 3)).toEqual(['id', 'source', 'key']);
    expect(rows).toHaveLength(view.recordsFiltered);
    const expected = await lead.allCases({ source: 'jira', status: 'closed', q: 'on' });
    expect(rows.map((r) => r[0]).sort()).toEqual(expected.map((c) => c.id).sort());
  });

  it('should show the comments of a case, read live from its upstream', async () => {
    const { JIRA_URL, JIRA_EMAIL, JIRA_API_TOKEN } = stack.sims.env;
    const auth = `Basic ${Buffer.from(`${JIRA_EMAIL}:${JIRA_API_TOKEN}`).toString('base64')}`;
    let key: string | undefined;
    let comments: { author: { displayName: string } }[] = [];
    for (const issue of stack.sims.jira.issues.filter((i) => i.project === 'SUP').slice(0, 30)) {
      const response = await fetch(`${JIRA_URL}/rest/api/3/issue/${issue.key}/comment`, {
        headers: { Authorization: auth },
      });
      comments = ((await response.json()) as { comments: typeof comments }).comments;
      if (comments.length > 1) {
        key = issue.key;
        break;
      }
    }
    expect(key).toBeDefined();
    await page.goto(`${stack.baseUrl}/cases/jira/${key}`);
    const entries = page.locator('#case-timeline li:not(.muted)');
    await expect(entries.count()).resolves.toBe(comments.length);
    await expect(entries.first().locator('.who').textContent()).resolves.toBe(
      comments[0].author.displayName,
    );
  });

  it('should list breached and at-risk cases on the SLA page', async () => {
    const stats = await lead.stats();
    const response = await page.goto(`${stack.baseUrl}/sla`);
    expect(response?.status()).toBe(200);
    const breached = page.locator('#sla-breached tbody tr');
    expect(stats.kpi.slaBreached).toBeGreaterThan(0);
    await expect(breached.count()).resolves.toBe(stats.kpi.slaBreached);
    await expect(page.locator('#sla-breached-count').textContent()).resolves.toBe(
      String(stats.kpi.slaBreached),
    );
    await expect(page.locator('#sla-at-risk').isVisible()).resolves.toBe(true);
    await screenshot(page, 'sla');
  });
});
