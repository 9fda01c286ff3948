import { startStack, type AppStack } from '../support/app-stack.js';
import { collectDialogs, launchBrowser, loginAs, screenshot } from '../support/browser.js';
import { USERS, type TestUserName } from '../support/idp.js';
import {
  ApiClient,
  chartSeries,
  inkedPixels,
  openTable,
  redraw,
  signIn,
  tableRows,
  type Stats,
} from './browser-kit.js';

jest.setTimeout(120_000);

const KPI_IDS: Record<string, string> = {
  open: 'kpi-open',
  newLastDay: 'kpi-new-last-day',
  newLastWeek: 'kpi-new-last-week',
  closedLastDay: 'kpi-closed-last-day',
  closedLastWeek: 'kpi-closed-last-week',
  slaBreached: 'kpi-sla-breached',
  stale: 'kpi-stale',
  unassigned: 'kpi-unassigned',
};
const SEVERITIES = ['urgent', 'high', 'normal', 'low'];
const OPEN_STATUSES = ['new', 'open', 'pending'];
const SOURCES = ['glpi', 'jira', 'bugzilla'];
const CANVASES = ['chart-severity', 'chart-status', 'chart-source', 'chart-weekly', 'chart-trend'];

/** The series each chart should draw, from the stats answer (public/js/dashboard.js's order). */
function expectedSeries(stats: Stats): Record<string, number[][]> {
  return {
    'chart-severity': [SEVERITIES.map((k) => stats.openBySeverity[k] ?? 0)],
    'chart-status': [OPEN_STATUSES.map((k) => stats.openByStatus[k] ?? 0)],
    'chart-source': [SOURCES.map((k) => stats.openBySource[k] ?? 0)],
    'chart-weekly': [stats.weekly.map((w) => w.opened), stats.weekly.map((w) => w.closed)],
    'chart-trend': [stats.trend.map((p) => p.open)],
  };
}

describe('Caseboard in the browser: sign-in, roles and scope', () => {
  let stack: AppStack;
  const api: Partial<Record<TestUserName, ApiClient>> = {};

  beforeAll(async () => {
    stack = await startStack({ name: 'browser-roles', glpi: 1200, jira: 250, bugzilla: 250 });
    const [alice, bob, carol, dave] = await Promise.all([
      ApiClient.forRole(stack, 'engineer'),
      ApiClient.forRole(stack, 'lead'),
      ApiClient.forRole(stack, 'admin'),
      ApiClient.forRole(stack, 'partner', ['Globex']),
    ]);
    Object.assign(api, { alice, bob, carol, dave });
  }, 120_000);

  afterAll(() => stack?.stop());

  it.each(['alice', 'bob', 'carol', 'dave'] as const)(
    'should land %s on the dashboard with their roles, drawn charts and the API figures',
    async (user) => {
      const session = await signIn(stack, user);
      try {
        const { page } = session;
        const dialogs = collectDialogs(page);
        expect(new URL(page.url()).pathname).toBe('/');
        await page.locator('#stats[data-state="ready"]').waitFor({ timeout: 15_000 });

        await expect(page.locator('#user-name').textContent()).resolves.toBe(
          USERS[user].displayName,
        );
        const roles = await page.locator('#user-roles .role-badge').allTextContents();
        expect(roles.map((r) => r.trim()).sort()).toEqual([...USERS[user].roles].sort());
        await expect(page.locator('#nav-queues').count()).resolves.toBe(user === 'carol' ? 1 : 0);
        for (const id of ['nav-dashboard', 'nav-cases', 'nav-sla', 'logout', 'as-of']) {
          await expect(page.locator(`#${id}`).isVisible()).resolves.toBe(true);
        }

        const stats = await api[user]!.stats();
        for (const [key, id] of Object.entries(KPI_IDS)) {
          const shown = (await page.locator(`#${id}`).textContent())?.trim();
          expect({ kpi: key, shown }).toEqual({ kpi: key, shown: String(stats.kpi[key]) });
        }
        const expected = expectedSeries(stats);
        for (const id of CANVASES) {
          const canvas = page.locator(`#${id}`);
          expect({ id, inked: (await inkedPixels(canvas)) > 0 }).toEqual({ id, inked: true });
          const series = await chartSeries(canvas);
          expect({ id, data: series?.datasets.map((d) => d.data) }).toEqual({
            id,
            data: expected[id],
          });
        }
        // not vacuous: there is something open to chart
        expect(stats.kpi.open).toBeGreaterThan(0);
        expect(stats.trend.length).toBeGreaterThan(0);
        if (user === 'bob') await screenshot(page, 'dashboard');
        expect(dialogs).toEqual([]);
      } finally {
        await session.close();
      }
    },
  );

  it('should take the admin from the navigation to Bull Board, drawn with the sync queue', async () => {
    const session = await signIn(stack, 'carol');
    try {
      const { page } = session;
      const scriptErrors: string[] = [];
      page.on('pageerror', (error) => scriptErrors.push(error.message));
      await page.locator('#nav-queues').click();
      await page.waitForURL((url) => url.pathname.startsWith('/admin/queues'));
      await page.getByText('sync', { exact: true }).first().waitFor({ timeout: 15_000 });
      await screenshot(page, 'queues');
      expect(scriptErrors).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('should show the partner only Globex cases, and nothing of other accounts', async () => {
    const engineer = api.alice!;
    const partner = api.dave!;
    const globex = await engineer.cases({ account: 'Globex', limit: 1 });
    const partnerView = await partner.cases({ limit: 1 });
    expect(partnerView.total).toBe(globex.total);
    expect(globex.total).toBeGreaterThan(50); // more than one page of the table
    const partnerStats = await partner.stats();
    const allStats = await engineer.stats();
    expect(partnerStats.kpi.open).toBeLessThan(allStats.kpi.open);
    const [other] = (await engineer.cases({ account: 'ACME Corp', limit: 1 })).items;
    expect(other).toBeDefined();

    const session = await signIn(stack, 'dave');
    try {
      const { page } = session;
      const first = await openTable(page, stack.baseUrl, '/cases');
      expect(first.recordsTotal).toBe(globex.total);
      expect(first.recordsFiltered).toBe(globex.total);
      const accountOptions = await page.locator('#filter-account option').allTextContents();
      expect(accountOptions).toEqual(['Globex']);

      const accounts: string[] = [];
      accounts.push(...(await tableRows(page)).map((row) => row.account));
      const next = page.locator('#cases_wrapper button.dt-paging-button[data-dt-idx="next"]');
      while (accounts.length < first.recordsFiltered) {
        const answer = await redraw(page, () => next.click());
        expect(answer.recordsTotal).toBe(globex.total);
        const rows = await tableRows(page);
        expect(rows.length).toBeGreaterThan(0);
        accounts.push(...rows.map((row) => row.account));
      }
      expect(accounts).toHaveLength(globex.total);
      expect(new Set(accounts)).toEqual(new Set(['Globex']));

      const casePage = await page.goto(`${stack.baseUrl}/cases/${other.source}/${other.key}`);
      expect(casePage?.status()).toBe(404);
      await expect(page.locator('#error-message').isVisible()).resolves.toBe(true);
      await expect(page.locator('#case-fields').count()).resolves.toBe(0);
      const apiAnswer = await page.request.get(
        `${stack.baseUrl}/api/v1/cases/${other.source}/${encodeURIComponent(other.key)}`,
      );
      expect(apiAnswer.status()).toBe(404);

      const otherAccount = await page.goto(`${stack.baseUrl}/accounts/ACME%20Corp`);
      expect(otherAccount?.status()).toBe(404);
      await expect(page.locator('#error-message').isVisible()).resolves.toBe(true);
      const ownAccount = await page.goto(`${stack.baseUrl}/accounts/Globex`);
      expect(ownAccount?.status()).toBe(200);
    } finally {
      await session.close();
    }
  });

  it('should refuse the engineer lead-only pages, the export and admin pages, then sign her out', async () => {
    const admin = api.carol!;
    const [someone] = (await admin.cases({ limit: 1 })).items;
    const session = await signIn(stack, 'alice');
    try {
      const { page } = session;
      const engineerPage = await page.goto(
        `${stack.baseUrl}/engineers/${encodeURIComponent(someone.assignee ?? 'nobody')}`,
      );
      expect(engineerPage?.status()).toBe(403);
      await expect(page.locator('#error-message').isVisible()).resolves.toBe(true);

      const exportAnswer = await page.request.get(`${stack.baseUrl}/api/v1/cases/export.csv`);
      expect(exportAnswer.status()).toBe(403);
      await openTable(page, stack.baseUrl);
      await expect(page.locator('#export-csv').count()).resolves.toBe(0);

      expect(await admin.status('/admin/queues')).toBe(200);
      const queues = await page.goto(`${stack.baseUrl}/admin/queues`);
      expect(queues?.status()).toBe(403);
      await expect(page.locator('#error-message').isVisible()).resolves.toBe(true);

      // Sign-out ends both sessions: ours, and the IdP's (single logout).
      await page.goto(stack.baseUrl + '/');
      await page.locator('#logout').click();
      await page.waitForURL((url) => url.pathname === '/signed-out', { timeout: 15_000 });
      await expect(page.locator('#sign-in').isVisible()).resolves.toBe(true);
      await expect(page.locator('#user-name').count()).resolves.toBe(0);
      const after = await page.request.get(`${stack.baseUrl}/api/v1/stats`);
      expect(after.status()).toBe(401);

      await page.goto(`${stack.baseUrl}/cases`);
      await page.locator('input[name="username"]').waitFor({ timeout: 15_000 });
      expect(new URL(page.url()).origin).toBe(new URL(stack.idp.baseUrl).origin);
    } finally {
      await session.close();
    }
  });

  it('should refuse a user in no mapped group with a page naming her groups', async () => {
    const session = await launchBrowser();
    try {
      const { page } = session;
      const callback = page.waitForResponse(
        (response) => new URL(response.url()).pathname === '/login/callback',
      );
      await loginAs(page, stack.baseUrl, USERS.erin.username, USERS.erin.password);
      expect((await callback).status()).toBe(403);
      await expect(page.locator('#refused-who').textContent()).resolves.toBe(
        USERS.erin.displayName,
      );
      const groups = await page.locator('#refused-groups li').allTextContents();
      expect(groups.map((g) => g.trim())).toEqual([...USERS.erin.groups]);
      await expect(page.locator('#user-name').count()).resolves.toBe(0);
      const api = await page.request.get(`${stack.baseUrl}/api/v1/stats`);
      expect(api.status()).toBe(401);
    } finally {
      await session.close();
    }
  });
});
