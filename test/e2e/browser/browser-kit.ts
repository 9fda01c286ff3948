import { readFileSync } from 'node:fs';
import type { Download, Locator, Page } from 'playwright-core';
import type { AppStack } from '../support/app-stack.js';
import { launchBrowser, loginAs, type BrowserSession } from '../support/browser.js';
import { USERS, type TestUserName } from '../support/idp.js';

/** A case as GET /api/v1/cases returns it (the fields these specs read). */
export interface ApiCase {
  id: string;
  source: string;
  key: string;
  url: string | null;
  title: string;
  status: string;
  severity: string;
  account: string | null;
  assignee: string | null;
  links: { source: string; key: string }[];
  labels: string[];
}

export interface CaseList {
  total: number;
  items: ApiCase[];
}

export interface LinkedCase {
  source: string;
  key: string;
  title: string | null;
  status: string | null;
}

/** One row of the DataTables endpoint: the case plus display fields. */
/** A DataTables row: the case without its id, own links and closedAt, plus what the table shows. */
export interface TableRow extends Omit<ApiCase, 'id' | 'links' | 'closedAt'> {
  href: string;
  linked: LinkedCase[];
}

/** A table row's case id (rows leave the id out: it is source:key). */
export const rowId = (row: Pick<TableRow, 'source' | 'key'>): string => `${row.source}:${row.key}`;

export interface DataTablesAnswer {
  draw: number;
  recordsTotal: number;
  recordsFiltered: number;
  data: TableRow[];
}

export interface Stats {
  kpi: Record<string, number>;
  openBySeverity: Record<string, number>;
  openByStatus: Record<string, number>;
  openBySource: Record<string, number>;
  weekly: { weekStart: string; opened: number; closed: number }[];
  trend: { date: string; open: number }[];
}

/** The script-facing API with one bearer token; every answer but the expected status throws. */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static async forRole(
    stack: AppStack,
    role: 'engineer' | 'partner' | 'lead' | 'admin',
    accounts?: string[],
  ): Promise<ApiClient> {
    return new ApiClient(stack.baseUrl, await stack.token(role, accounts));
  }

  async status(path: string): Promise<number> {
    const response = await fetch(this.baseUrl + path, { headers: this.headers() });
    await response.arrayBuffer();
    return response.status;
  }

  async get<T>(path: string, query: Record<string, string | number> = {}): Promise<T> {
    const params = new URLSearchParams(
      Object.entries(query).map(([name, value]): [string, string] => [name, String(value)]),
    );
    const url = this.baseUrl + path + (params.size ? `?${params.toString()}` : '');
    const response = await fetch(url, { headers: this.headers() });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`GET ${url} → ${response.status}: ${body}`);
    return JSON.parse(body) as T;
  }

  cases(query: Record<string, string | number> = {}): Promise<CaseList> {
    return this.get<CaseList>('/api/v1/cases', query);
  }

  /** Every case the token may read, in the API's default order. */
  async allCases(query: Record<string, string | number> = {}): Promise<ApiCase[]> {
    const all: ApiCase[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await this.cases({ ...query, offset, limit: 500 });
      all.push(...page.items);
      if (page.items.length < 500 || all.length >= page.total) return all;
    }
  }

  stats(query: Record<string, string> = {}): Promise<Stats> {
    return this.get<Stats>('/api/v1/stats', query);
  }

  /** The DataTables endpoint as the page would call it (columns named like public/js/cases.js). */
  datatable(query: Record<string, string | number> = {}): Promise<DataTablesAnswer> {
    const columns = Object.fromEntries(
      TABLE_COLUMNS.map((name, i) => [`columns[${i}][data]`, name] as const),
    );
    return this.get<DataTablesAnswer>('/api/v1/cases/datatable', { ...columns, ...query });
  }

  private headers(): Record<string, string> {
    return { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
  }
}

/** A fresh Chromium signed in as one of the IdP's users (landing wherever Caseboard sent it). */
export async function signIn(stack: AppStack, user: TestUserName): Promise<BrowserSession> {
  const session = await launchBrowser();
  try {
    await loginAs(session.page, stack.baseUrl, USERS[user].username, USERS[user].password);
    return session;
  } catch (err) {
    await session.close();
    throw err;
  }
}

/* ---- the case table (views/partials/case-table.hbs, public/js/cases.js) -------------------- */

/** The table's columns, in public/js/cases.js order. */
export const TABLE_COLUMNS = [
  'source',
  'key',
  'severity',
  'title',
  'account',
  'status',
  'assignee',
  'product',
  'createdAt',
  'updatedAt',
  'daysOpen',
  'links',
] as const;

export type TableColumn = (typeof TABLE_COLUMNS)[number];

const DATATABLE_PATH = '/api/v1/cases/datatable';

/**
 * Runs `action` (a navigation, a click, a select) and resolves with the DataTables answer it
 * caused, once the table has drawn it (`#cases[data-state=ready]` is set after each draw).
 */
export async function redraw(
  page: Page,
  action: () => Promise<unknown>,
  timeout = 15_000,
): Promise<DataTablesAnswer> {
  const answered = page.waitForResponse(
    (response) => new URL(response.url()).pathname === DATATABLE_PATH,
    { timeout },
  );
  await action();
  const response = await answered;
  const body = await response.text();
  if (response.status() !== 200) {
    throw new Error(`${response.url()} → ${response.status()}: ${body}`);
  }
  await page.locator('#cases[data-state="ready"]').waitFor({ state: 'attached', timeout });
  return JSON.parse(body) as DataTablesAnswer;
}

/** Opens a page holding the case table (default /cases) and waits for its first draw. */
export function openTable(page: Page, baseUrl: string, path = '/cases'): Promise<DataTablesAnswer> {
  return redraw(page, () => page.goto(baseUrl + path));
}

/** The cell texts of the table's case rows (child rows left out), keyed by column name. */
export async function tableRows(page: Page): Promise<Record<TableColumn, string>[]> {
  const cells = await page
    .locator('#cases > tbody > tr:has(> td.col-key)')
    .evaluateAll((rows: unknown[]) =>
      rows.map((row) =>
        Array.from((row as { cells: ArrayLike<{ textContent: string | null }> }).cells).map(
          (cell) => cell.textContent ?? '',
        ),
      ),
    );
  return cells.map(
    (row) =>
      Object.fromEntries(TABLE_COLUMNS.map((name, i) => [name, row[i] ?? ''])) as Record<
        TableColumn,
        string
      >,
  );
}

/** `source:key` of every case row shown, in order. */
export async function shownIds(page: Page): Promise<string[]> {
  return (await tableRows(page)).map((row) => `${row.source}:${row.key}`);
}

/** The selected values of a `<select multiple>`. */
export function selectedValues(select: Locator): Promise<string[]> {
  return select.evaluate((node: unknown) =>
    Array.from((node as { selectedOptions: ArrayLike<{ value: string }> }).selectedOptions).map(
      (option) => option.value,
    ),
  );
}

/** The search box DataTables adds above the table. */
export const searchBox = (page: Page): Locator => page.locator('#cases_wrapper .dt-search input');

/** A column header of the case table, by its visible name. */
export const header = (page: Page, name: string): Locator =>
  page.locator('#cases thead th').filter({ hasText: new RegExp(`^\\s*${name}\\s*$`) });

/* ---- charts (public/js/dashboard.js) ------------------------------------------------------ */

interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  } | null;
}

/** How many pixels of a canvas are not fully transparent (0: nothing was drawn). */
export function inkedPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((node: unknown) => {
    const target = node as CanvasLike;
    const context = target.getContext('2d');
    if (!context || target.width === 0 || target.height === 0) return 0;
    const { data } = context.getImageData(0, 0, target.width, target.height);
    let inked = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
    return inked;
  });
}

export interface ChartSeries {
  labels: string[];
  datasets: { label: string; data: number[] }[];
}

/** The data of the Chart.js chart drawn on a canvas (null: no chart there). */
export function chartSeries(canvas: Locator): Promise<ChartSeries | null> {
  return canvas.evaluate((node: unknown) => {
    interface ChartLike {
      data: { labels: unknown[]; datasets: { label?: string; data: unknown[] }[] };
    }
    const chartJs = (globalThis as { Chart?: { getChart(item: unknown): ChartLike | undefined } })
      .Chart;
    const chart = chartJs?.getChart(node);
    if (!chart) return null;
    return {
      labels: chart.data.labels.map(String),
      datasets: chart.data.datasets.map((set) => ({
        label: set.label ?? '',
        data: set.data.map(Number),
      })),
    };
  });
}

/* ---- CSV ---------------------------------------------------------------------------------- */

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** The text of a finished download. */
export async function downloadedText(download: Download): Promise<string> {
  const failure = await download.failure();
  if (failure) throw new Error(`download of ${download.url()} failed: ${failure}`);
  return readFileSync(await download.path(), 'utf8');
}
