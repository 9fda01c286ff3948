import { parse } from 'node:querystring';
import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { CASE_STATUSES, SEVERITIES, SOURCES } from '../cases/case.model.js';
import { setRecent } from '../common/recent-map.js';
import { viewKey } from '../query/view-cache.js';
import {
  SORTABLE_FIELDS,
  type CaseFilter,
  type SortKey,
  type SortableField,
} from '../query/case-query.js';

type Query = Record<string, unknown>;

const MAX_LIMIT = 500;

const csv = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) =>
    v === undefined
      ? undefined
      : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()),
  );

const enumList = <T extends string>(values: readonly T[]) =>
  csv.pipe(
    z
      .array(z.enum(values as [T, ...T[]], { error: `expected one of ${values.join(', ')}` }))
      .optional(),
  );

const textList = csv;

const iso = z.iso.datetime({ offset: true, error: 'expected an ISO-8601 date-time' }).optional();

/** Filters shared by the list, DataTables and export endpoints. */
const filterShape = {
  source: enumList(SOURCES),
  status: enumList(CASE_STATUSES),
  severity: enumList(SEVERITIES),
  account: textList,
  assignee: textList,
  product: textList,
  q: z.string().max(200, { error: 'at most 200 characters' }).optional(),
  open: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
  updatedAfter: iso,
  updatedBefore: iso,
  createdAfter: iso,
};

function sortKeys(text: string | undefined): SortKey[] {
  if (!text) return [];
  return text.split(',').map((part) => {
    const dir = part.startsWith('-') ? 'desc' : 'asc';
    const field = part.replace(/^[-+]/, '').trim();
    if (!(SORTABLE_FIELDS as readonly string[]).includes(field)) {
      throw new BadRequestException(`sort: "${field}" is not one of ${SORTABLE_FIELDS.join(', ')}`);
    }
    return { field: field as SortableField, dir };
  });
}

function fail(error: z.ZodError): never {
  const issue = error.issues[0];
  const where = issue.path.join('.') || 'query';
  throw new BadRequestException(
    issue.code === 'unrecognized_keys'
      ? `unknown parameter(s): ${issue.keys.join(', ')}`
      : `${where}: ${issue.message}`,
  );
}

function toFilter(p: Readonly<z.infer<z.ZodObject<typeof filterShape>>>): CaseFilter {
  return {
    source: p.source,
    status: p.status,
    severity: p.severity,
    account: p.account,
    assignee: p.assignee,
    product: p.product,
    q: p.q?.trim() || undefined,
    open: p.open === undefined ? undefined : p.open === 'true',
    updatedAfter: p.updatedAfter,
    updatedBefore: p.updatedBefore,
    createdAfter: p.createdAfter,
  };
}

const listSchema = z.strictObject({
  ...filterShape,
  sort: z.string().optional(),
  offset: z.coerce
    .number({ error: 'expected a number' })
    .int()
    .min(0, { error: 'must be ≥ 0' })
    .default(0),
  limit: z.coerce
    .number({ error: 'expected a number' })
    .int()
    .min(1, { error: 'must be ≥ 1' })
    .max(MAX_LIMIT, { error: `must be ≤ ${MAX_LIMIT}` })
    .default(50),
});

/** GET /api/v1/cases parameters; a bad one is a 400 naming it. */
export function parseCaseList(query: Query): {
  filter: CaseFilter;
  sort: SortKey[];
  offset: number;
  limit: number;
} {
  const parsed = listSchema.safeParse(query);
  if (!parsed.success) fail(parsed.error);
  return {
    filter: toFilter(parsed.data),
    sort: sortKeys(parsed.data.sort),
    offset: parsed.data.offset,
    limit: parsed.data.limit,
  };
}

const exportSchema = z.strictObject({
  ...filterShape,
  sort: z.string().optional(),
  format: z.enum(['csv']).optional(),
});

export function parseCaseExport(query: Query): { filter: CaseFilter; sort: SortKey[] } {
  const parsed = exportSchema.safeParse(query);
  if (!parsed.success) fail(parsed.error);
  return { filter: toFilter(parsed.data), sort: sortKeys(parsed.data.sort) };
}

/** Built once: zod compiles a schema on first use, so a schema per request costs a compile each. */
const dataTablesFilterSchema = z.strictObject(filterShape);
type FilterParams = z.infer<typeof dataTablesFilterSchema>;

/** Validated filter parameters, their lists frozen: a kept parse shares them (see below). */
function dataTablesFilter(own: Query): FilterParams {
  const parsed = dataTablesFilterSchema.safeParse(own);
  if (!parsed.success) fail(parsed.error);
  for (const value of Object.values(parsed.data)) if (Array.isArray(value)) Object.freeze(value);
  return parsed.data;
}

const DT_KEY =
  /^(columns\[\d+\]\[(data|name|searchable|orderable|search\]\[(value|regex))\]|order\[\d+\]\[(column|dir|name)\]|search\[(value|regex)\]|draw|start|length|_)$/;

/** The query string of a request URL as Express reads it: after `?`, before any `#`. */
export function queryStringOf(url: string): string {
  const hash = url.indexOf('#');
  const at = url.indexOf('?');
  if (at < 0 || (hash >= 0 && hash < at)) return '';
  return url.slice(at + 1, hash < 0 ? undefined : hash);
}

/** One DataTables request's parameters. */
export interface DataTablesParams {
  draw: number;
  /** Frozen, like everything in it: requests that ask the same share one. */
  filter: Readonly<CaseFilter>;
  /** Frozen, like `filter`. */
  sort: SortKey[];
  offset: number;
  limit: number;
  /** viewKey(filter, sort), worked out once for all requests that share the filter. */
  view: string | null;
}

/** What a request asks for, all but its draw counter: what kept parses hold. */
type DataTablesView = Readonly<Omit<DataTablesParams, 'draw'>>;

// The table sends the same few views again and again, each with a new draw counter (and, from
// jQuery, a new `_` cache-buster): parses are kept by the query string without those two.
const RECENT_VIEWS = 256;
const MAX_KEPT_KEY = 2_000;
const recentViews = new Map<string, DataTablesView>();
const COUNTERS = /(?:^|&)(?:draw|_)=[^&]*/g;
const DRAW = /(?:^|&)(draw=[^&]*)/;

/**
 * The DataTables server-side protocol (draw, start, length, search[value], order[i][column|dir],
 * columns[i][data]) plus Caseboard's filter parameters, from the URL's query string as the
 * browser sends it (read as Express's default query parser reads it).
 */
export function parseDataTables(search: string): DataTablesParams {
  const key = search.replace(COUNTERS, '');
  let view = recentViews.get(key);
  if (view === undefined) {
    const query = parse(key);
    // Only the plain spellings were taken out; an escaped one (dr%61w=) is read the slow way.
    if (Object.hasOwn(query, 'draw') || Object.hasOwn(query, '_'))
      return readDataTables(parse(search));
    const { draw: _, ...read } = readDataTables(query);
    view = Object.freeze(read);
    if (key.length <= MAX_KEPT_KEY) setRecent(recentViews, key, view, RECENT_VIEWS);
  }
  const draw = DRAW.exec(search)?.[1];
  return {
    draw: wholeNumber('draw', draw === undefined ? undefined : (parse(draw).draw as string), 0, 0),
    filter: view.filter,
    sort: view.sort,
    offset: view.offset,
    limit: view.limit,
    view: view.view,
  };
}

function wholeNumber(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new BadRequestException(`${name}: expected a whole number from ${min} to ${max}`);
  return n;
}

/** The parameters of an already parsed query string. */
function readDataTables(query: Query): DataTablesParams {
  const own: Query = {};
  const dt: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (DT_KEY.test(key)) dt[key] = Array.isArray(value) ? String(value[0]) : String(value);
    else own[key] = value;
  }
  const filterParams = dataTablesFilter(own);
  const sort: SortKey[] = [];
  for (let i = 0; dt[`order[${i}][column]`] !== undefined; i++) {
    const column = wholeNumber(`order[${i}][column]`, dt[`order[${i}][column]`], 0, 0, 100);
    const field = dt[`columns[${column}][data]`];
    if (!(SORTABLE_FIELDS as readonly string[]).includes(field)) {
      throw new BadRequestException(
        `order[${i}]: column ${column} ("${field ?? 'unknown'}") cannot be sorted`,
      );
    }
    sort.push({
      field: field as SortableField,
      dir: dt[`order[${i}][dir]`] === 'desc' ? 'desc' : 'asc',
    });
  }
  const filter = toFilter(filterParams);
  const search = dt['search[value]']?.trim();
  if (search) filter.q = filter.q ? `${filter.q} ${search}` : search;
  if ((filter.q?.length ?? 0) > 200)
    throw new BadRequestException('search: at most 200 characters');
  // The lists in the filter are frozen already (see dataTablesFilter).
  Object.freeze(filter);
  Object.freeze(sort).forEach(Object.freeze);
  return {
    draw: wholeNumber('draw', dt.draw, 0, 0),
    filter,
    sort,
    offset: wholeNumber('start', dt.start, 0, 0),
    limit: wholeNumber('length', dt.length, 50, 1, MAX_LIMIT),
    view: viewKey(filter, sort),
  };
}
