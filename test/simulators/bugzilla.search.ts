import { type BugzillaBug } from './bugzilla.records.js';
import { commaList } from './http-util.js';

/** A Bugzilla WebService error: `{error:true, code, message, documentation}` with its HTTP status. */
export class BugzillaError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface BugSearch {
  test: (bug: BugzillaBug) => boolean;
  /** Inclusive lower bound on last_change_time (ms). */
  changedSince?: number;
  /** Effective page size after capping. */
  limit: number;
  offset: number;
  /** null = the (last_change_time, id) index order; otherwise a comparator. */
  compare: ((a: BugzillaBug, b: BugzillaBug) => number) | null;
  /** Cache signature of everything but paging. */
  signature: string;
}

export interface SearchLimits {
  /** Cap applied to an explicit positive `limit`. */
  maxLimit: number;
  /** `max_search_results`: the cap when `limit` is absent or 0. */
  maxSearchResults: number;
}

const EXACT: Partial<Record<string, (b: BugzillaBug) => string[]>> = {
  product: (b) => [b.product],
  component: (b) => [b.component],
  status: (b) => [b.status],
  bug_status: (b) => [b.status],
  severity: (b) => [b.severity],
  bug_severity: (b) => [b.severity],
  priority: (b) => [b.priority],
  resolution: (b) => [b.resolution],
  version: (b) => [b.version],
  cf_customer: (b) => [b.cfCustomer],
  keywords: (b) => b.keywords,
  classification: () => ['Unclassified'],
};

const SUBSTRING: Partial<Record<string, (b: BugzillaBug) => string>> = {
  assigned_to: (b) => b.assignedTo.email,
  creator: (b) => b.creator.email,
  reporter: (b) => b.creator.email,
  summary: (b) => b.summary,
  short_desc: (b) => b.summary,
  whiteboard: (b) => b.whiteboard,
  status_whiteboard: (b) => b.whiteboard,
  url: (b) => b.url,
};

const ORDER_COLUMNS: Partial<Record<string, (a: BugzillaBug, b: BugzillaBug) => number>> = {
  bug_id: (a, b) => a.id - b.id,
  changeddate: (a, b) => a.lastChangeMs - b.lastChangeMs,
  opendate: (a, b) => a.creationMs - b.creationMs,
  priority: (a, b) => a.priority.localeCompare(b.priority),
  bug_severity: (a, b) => a.severity.localeCompare(b.severity),
  bug_status: (a, b) => a.status.localeCompare(b.status),
  product: (a, b) => a.product.localeCompare(b.product),
  component: (a, b) => a.component.localeCompare(b.component),
  short_desc: (a, b) => a.summary.localeCompare(b.summary),
  assigned_to: (a, b) => a.assignedTo.email.localeCompare(b.assignedTo.email),
  resolution: (a, b) => a.resolution.localeCompare(b.resolution),
};

/**
 * `GET /rest/bug` parameters → a search. Same parameter repeated = OR, different parameters = AND;
 * exact-match fields compare case-insensitively; user/text fields match substrings. Zone-less
 * datetimes are server-local time, and the simulated server runs in UTC.
 */
export function parseBugSearch(query: URLSearchParams, limits: SearchLimits): BugSearch {
  const tests: ((b: BugzillaBug) => boolean)[] = [];
  const signature: string[] = [];
  const names = [...new Set(query.keys())].sort();
  let changedSince: number | undefined;
  for (const name of names) {
    const values = query.getAll(name);
    const exact = EXACT[name];
    const substring = SUBSTRING[name];
    if (name === 'id' || name === 'bug_id') {
      const ids = new Set(values.flatMap((v) => commaList(v)).map(Number));
      tests.push((b) => ids.has(b.id));
    } else if (exact) {
      const get = exact;
      const wanted = new Set(
        values.map((v) => (name === 'resolution' && v === '---' ? '' : v.toLowerCase())),
      );
      tests.push((b) => get(b).some((v) => wanted.has(v.toLowerCase())));
    } else if (substring) {
      const get = substring;
      const needles = values.map((v) => v.toLowerCase());
      tests.push((b) => needles.some((n) => get(b).toLowerCase().includes(n)));
    } else if (name === 'last_change_time' || name === 'creation_time') {
      const at = parseDateTime(values[0]);
      if (name === 'last_change_time') changedSince = at;
      else tests.push((b) => b.creationMs >= at);
    } else {
      continue;
    }
    signature.push(`${name}=${values.join('\u0001')}`);
  }
  if (changedSince !== undefined) {
    const since = changedSince;
    tests.push((b) => b.lastChangeMs >= since);
  }

  const limitParam = query.get('limit');
  const offsetParam = query.get('offset');
  if (offsetParam !== null && limitParam === null) {
    throw new BugzillaError(
      50,
      'The function Bug.search requires a limit argument, and that argument was not set.',
    );
  }
  const limit = intOrThrow(limitParam, 'limit') ?? 0;
  const offset = intOrThrow(offsetParam, 'offset') ?? 0;
  const compare = parseOrder(query.get('order'));
  signature.push(`order=${query.get('order') ?? ''}`);
  return {
    test: (b) => tests.every((t) => t(b)),
    changedSince,
    limit:
      limit > 0
        ? Math.min(limit, limits.maxLimit, limits.maxSearchResults)
        : limits.maxSearchResults,
    offset,
    compare,
    signature: signature.join('&'),
  };
}

/** `order=changeddate,bug_id` → index order; unknown columns are dropped; no order → bug id. */
function parseOrder(order: string | null): BugSearch['compare'] {
  const items = commaList(order)
    .map((item) => {
      const [column, direction = 'ASC'] = item.split(/\s+/);
      const base = ORDER_COLUMNS[column];
      return base ? { column, desc: direction.toUpperCase() === 'DESC', base } : null;
    })
    .filter((x) => x !== null);
  if (items.length === 0) return (a, b) => a.id - b.id;
  const [first, second] = items;
  if (
    first.column === 'changeddate' &&
    !first.desc &&
    (!second || (second.column === 'bug_id' && !second.desc))
  ) {
    return null;
  }
  return (a, b) => {
    for (const { desc, base } of items) {
      const d = base(a, b);
      if (d !== 0) return desc ? -d : d;
    }
    return a.id - b.id;
  };
}

function intOrThrow(value: string | null, name: string): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^\d+$/.test(value.trim())) {
    throw new BugzillaError(
      54,
      `Invalid parameter passed to Bug.search: '${name}' must be a non-negative integer.`,
    );
  }
  return Number(value.trim());
}

/** ISO 8601 with Z/offset, or zone-less (taken as server-local = UTC here); date-only allowed. */
export function parseDateTime(text: string): number {
  const value = text.trim();
  const m =
    /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2}))?(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      value,
    );
  if (!m) throw new BugzillaError(56, `'${text}' is not a legal date.`);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => Number(x ?? 0));
  let ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const zone = m[7];
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  if (Number.isNaN(ms)) throw new BugzillaError(56, `'${text}' is not a legal date.`);
  return ms;
}
