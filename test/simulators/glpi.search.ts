import { GLPI_SEARCH_OPTIONS, type GlpiSearchOption } from './glpi.search-options.js';
import { type GlpiTicket } from './glpi.records.js';
import { type TimeZone } from './time-zone.js';

/** A GLPI API error: HTTP status plus the `[code, message]` body. */
export class GlpiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Link = 'AND' | 'OR' | 'AND NOT' | 'OR NOT';

export interface GlpiCriterion {
  field: number;
  searchtype: string;
  value: string;
  link: Link;
}

export interface GlpiSearchRequest {
  criteria: GlpiCriterion[];
  forcedisplay: number[];
  sort: number;
  order: 'ASC' | 'DESC';
  start: number;
  end: number;
  deleted: boolean;
}

/** Narrowing of the date_mod range that lets the engine binary-search the (date_mod, id) index. */
export interface DateModBounds {
  after?: number;
  before?: number;
}

export interface CompiledCriteria {
  test: (t: GlpiTicket) => boolean;
  bounds: DateModBounds | null;
}

const LINKS: readonly Link[] = ['AND', 'OR', 'AND NOT', 'OR NOT'];

/** Parses `criteria[i][…]`, `forcedisplay[k]`, `sort`, `order`, `range`, `is_deleted`. */
export function parseSearchRequest(query: URLSearchParams): GlpiSearchRequest {
  const byIndex = new Map<number, Partial<Record<string, string>>>();
  const forcedisplay: number[] = [];
  for (const [name, value] of query) {
    const criterion = /^criteria\[(\d+)\]\[([a-z_]+)\]$/.exec(name);
    if (criterion) {
      const entry = byIndex.get(Number(criterion[1])) ?? {};
      entry[criterion[2]] = value;
      byIndex.set(Number(criterion[1]), entry);
    } else if (name.startsWith('criteria[')) {
      throw new GlpiError(
        400,
        'ERROR',
        'Nested search criteria are not supported by the simulator',
      );
    } else if (/^forcedisplay\[\d*\]$/.test(name)) {
      const id = Number(value);
      if (!GLPI_SEARCH_OPTIONS.has(id)) {
        throw new GlpiError(400, 'ERROR', `Bad field ID in forcedisplay: ${value}`);
      }
      forcedisplay.push(id);
    }
  }
  const criteria = [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, c]): GlpiCriterion => {
      const field = Number(c.field);
      if (!c.field || !/^\d+$/.test(c.field) || !GLPI_SEARCH_OPTIONS.has(field)) {
        throw new GlpiError(400, 'ERROR', 'Bad field ID in search criteria');
      }
      const link = (c.link ?? 'AND').toUpperCase() as Link;
      if (!LINKS.includes(link)) throw new GlpiError(400, 'ERROR', `Bad link: ${c.link}`);
      return { field, searchtype: c.searchtype ?? 'contains', value: c.value ?? '', link };
    });

  const sortParam = query.get('sort') ?? query.get('sort[0]') ?? '19';
  const sort = Number(sortParam);
  if (!GLPI_SEARCH_OPTIONS.has(sort)) throw new GlpiError(400, 'ERROR', 'Bad sort field ID');
  const order = (query.get('order') ?? query.get('order[0]') ?? 'DESC').toUpperCase();
  if (order !== 'ASC' && order !== 'DESC') {
    throw new GlpiError(400, 'ERROR', 'order must be ASC or DESC');
  }
  const { start, end } = parseRange(query.get('range'), 20);
  const deleted = ['1', 'true'].includes(query.get('is_deleted') ?? '');
  return { criteria, forcedisplay, sort, order, start, end, deleted };
}

/** `start-end`, inclusive; default `0-(defaultSize-1)`. */
export function parseRange(
  range: string | null,
  defaultSize: number,
): { start: number; end: number } {
  if (range === null) return { start: 0, end: defaultSize - 1 };
  const m = /^(\d+)-(\d+)$/.exec(range);
  if (!m || Number(m[2]) < Number(m[1])) {
    throw new GlpiError(400, 'ERROR', 'range must be in format "start-end" with start <= end');
  }
  return { start: Number(m[1]), end: Number(m[2]) };
}

export interface CompileContext {
  tz: TimeZone;
  userId(login: string): number | undefined;
}

/** Turns criteria into a predicate evaluated left to right with their links, as GLPI does. */
export function compileCriteria(criteria: GlpiCriterion[], ctx: CompileContext): CompiledCriteria {
  const tests = criteria.map((c) => compileOne(c, ctx));
  const test = (t: GlpiTicket): boolean => {
    let result = true;
    for (let i = 0; i < criteria.length; i++) {
      const { link } = criteria[i];
      const hit = tests[i](t);
      const value = link.endsWith('NOT') ? !hit : hit;
      if (i === 0) result = value;
      else if (link.startsWith('OR')) result = result || value;
      else result = result && value;
    }
    return result;
  };
  let bounds: DateModBounds | null = null;
  if (criteria.every((c, i) => c.link === 'AND' || (i === 0 && c.link === 'OR'))) {
    bounds = {};
    for (const c of criteria) {
      if (c.field !== 19) continue;
      const at = ctx.tz.parseNaive(c.value);
      if (at === null) continue;
      if (c.searchtype === 'morethan') bounds.after = Math.max(bounds.after ?? -Infinity, at);
      if (c.searchtype === 'lessthan') bounds.before = Math.min(bounds.before ?? Infinity, at);
    }
  }
  return { test, bounds };
}

function compileOne(c: GlpiCriterion, ctx: CompileContext): (t: GlpiTicket) => boolean {
  const option = GLPI_SEARCH_OPTIONS.get(c.field) as GlpiSearchOption;
  if (!option.searchtypes.includes(c.searchtype)) {
    throw new GlpiError(
      400,
      'ERROR',
      `Searchtype '${c.searchtype}' is not allowed for field ${c.field}`,
    );
  }
  const raw = option.raw;
  switch (option.datatype) {
    case 'datetime':
      return compileDate(c, raw as (t: GlpiTicket) => number | null, ctx.tz);
    case 'number':
      return compileNumber(c, raw as (t: GlpiTicket) => number);
    case 'itemlink':
    case 'text':
      return compileText(c, (t) => [raw(t) as string]);
    case 'users': {
      const logins = raw as (t: GlpiTicket) => string[];
      if (/^\d+$/.test(c.value) && (c.searchtype === 'equals' || c.searchtype === 'notequals')) {
        const id = Number(c.value);
        const hit = (t: GlpiTicket) => logins(t).some((l) => ctx.userId(l) === id);
        return c.searchtype === 'equals' ? hit : (t) => !hit(t);
      }
      return compileText(c, logins);
    }
    case 'dropdown': {
      if (/^\d+$/.test(c.value) && c.searchtype !== 'contains' && c.searchtype !== 'notcontains') {
        const id = Number(c.value);
        const idOf = (t: GlpiTicket) => (c.field === 80 ? t.entitiesId : t.itilcategoriesId);
        // Every entity sits directly under the root entity (0).
        const hit = (t: GlpiTicket) => idOf(t) === id || (c.searchtype === 'under' && id === 0);
        return c.searchtype === 'equals' || c.searchtype === 'under' ? hit : (t) => !hit(t);
      }
      return compileText(c, (t) => [raw(t) as string]);
    }
  }
}

function compileDate(
  c: GlpiCriterion,
  raw: (t: GlpiTicket) => number | null,
  tz: TimeZone,
): (t: GlpiTicket) => boolean {
  if (c.searchtype === 'contains') {
    return (t) => {
      const v = raw(t);
      return v !== null && tz.formatNaive(v).includes(c.value.trim());
    };
  }
  const at = tz.parseNaive(c.value);
  if (at === null) {
    throw new GlpiError(400, 'ERROR', `Invalid datetime value in search criteria: ${c.value}`);
  }
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(c.value.trim());
  const equals = (v: number) => (dateOnly ? tz.formatDate(v) === c.value.trim() : v === at);
  switch (c.searchtype) {
    case 'morethan':
      return (t) => {
        const v = raw(t);
        return v !== null && v > at;
      };
    case 'lessthan':
      return (t) => {
        const v = raw(t);
        return v !== null && v < at;
      };
    case 'equals':
      return (t) => {
        const v = raw(t);
        return v !== null && equals(v);
      };
    default:
      return (t) => {
        const v = raw(t);
        return v === null || !equals(v);
      };
  }
}

const STATUS_META: Record<string, readonly number[]> = {
  notold: [1, 2, 3, 4],
  notclosed: [1, 2, 3, 4, 5],
  process: [2, 3],
  old: [5, 6],
};

function compileNumber(
  c: GlpiCriterion,
  raw: (t: GlpiTicket) => number,
): (t: GlpiTicket) => boolean {
  const value = c.value.trim();
  if (c.searchtype === 'contains') return (t) => String(raw(t)).includes(value);
  if (c.field === 12 && (value === 'all' || STATUS_META[value])) {
    const set = value === 'all' ? null : STATUS_META[value];
    const hit = (t: GlpiTicket) => set === null || set.includes(raw(t));
    return c.searchtype === 'equals' ? hit : (t) => !hit(t);
  }
  const n = Number(value);
  if (value === '' || Number.isNaN(n)) {
    throw new GlpiError(400, 'ERROR', `Invalid numeric value in search criteria: ${c.value}`);
  }
  switch (c.searchtype) {
    case 'morethan':
      return (t) => raw(t) > n;
    case 'lessthan':
      return (t) => raw(t) < n;
    case 'equals':
      // A negative priority means "at least" (GLPI's "High or higher" choices).
      if (c.field === 3 && n < 0) return (t) => raw(t) >= -n;
      return (t) => raw(t) === n;
    default:
      return (t) => raw(t) !== n;
  }
}

function compileText(
  c: GlpiCriterion,
  values: (t: GlpiTicket) => readonly string[],
): (t: GlpiTicket) => boolean {
  let needle = c.value.trim().toLowerCase();
  const anchoredStart = needle.startsWith('^');
  const anchoredEnd = needle.endsWith('$');
  needle = needle.replace(/^\^/, '').replace(/\$$/, '');
  const matches = (v: string): boolean => {
    const s = v.toLowerCase();
    if (anchoredStart && anchoredEnd) return s === needle;
    if (anchoredStart) return s.startsWith(needle);
    if (anchoredEnd) return s.endsWith(needle);
    return s.includes(needle);
  };
  switch (c.searchtype) {
    case 'contains':
      return (t) => values(t).some(matches);
    case 'notcontains':
      return (t) => !values(t).some(matches);
    case 'equals':
      return (t) => values(t).some((v) => v.toLowerCase() === needle);
    default:
      return (t) => !values(t).some((v) => v.toLowerCase() === needle);
  }
}

/** Sorts search hits by an option other than date_mod (ties by id). */
export function sortTickets(
  tickets: GlpiTicket[],
  sort: number,
  order: 'ASC' | 'DESC',
): GlpiTicket[] {
  const key = (t: GlpiTicket): number | string => {
    switch (sort) {
      case 2:
        return t.id;
      case 1:
        return t.name.toLowerCase();
      case 12:
        return t.status;
      case 3:
        return t.priority;
      case 15:
        return t.date;
      case 16:
        return t.closeDate ?? -Infinity;
      case 17:
        return t.solveDate ?? -Infinity;
      case 18:
        return t.timeToResolve ?? -Infinity;
      case 80:
        return t.entity;
      case 7:
        return t.category;
      default:
        return t.id;
    }
  };
  const sign = order === 'ASC' ? 1 : -1;
  return tickets
    .map((t) => ({ t, k: key(t) }))
    .sort((a, b) => (a.k < b.k ? -sign : a.k > b.k ? sign : sign * (a.t.id - b.t.id)))
    .map(({ t }) => t);
}
