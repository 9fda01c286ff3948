import { CASE_STATUSES, SEVERITIES, SOURCES, type SupportCase } from '../cases/case.model.js';
import { setRecent } from '../common/recent-map.js';
import {
  andAll,
  andInto,
  collectBits,
  forEachBit,
  newBitset,
  popcount,
  popcountAnd,
  retainBits,
  type Bitset,
} from './bitset.js';
import {
  CaseColumns,
  isMissing,
  SEVERITY_CODE,
  SOURCE_CODE,
  STATUS_CODE,
  type CaseChanges,
  type IndexedField,
} from './case-columns.js';
import {
  CaseQueryError,
  SORTABLE_FIELDS,
  type CaseFacets,
  type CaseFilter,
  type CaseQuery,
  type CaseQueryResult,
  type FacetField,
  type SortKey,
  type SortableField,
} from './case-query.js';
import { canScoreDaysOpen, daysOpenPage, scoredDaysOpenPage, wholeDaysOpen } from './days-open.js';
import type { FacetColumn } from './facet-column.js';
import { groupWalkCost, pageByPositions, rankComparator, walkPage } from './page-walk.js';
import { NULL_RANK, type SortOrder } from './sort-order.js';
import { smallestK } from './top-k.js';
import { ViewCache, type CachedView } from './view-cache.js';

export type { CaseChanges } from './case-columns.js';

export interface CaseIndexOptions {
  /** Views whose first matches are kept in order (see ViewCache); 0 keeps none. Default 64. */
  cachedViews?: number;
}

/** Visits a matching case with its dates as epoch ms (NaN where null; ended = closed ?? resolved). */
export type CaseVisitor = (
  c: SupportCase,
  createdMs: number,
  updatedMs: number,
  endedMs: number,
) => void;

type FacetDimension = 'source' | 'status' | 'severity' | FacetField;

const FACET_DIMENSIONS: readonly FacetDimension[] = [
  'source',
  'status',
  'severity',
  'account',
  'assignee',
  'product',
];
const TOP_VALUES = 50;
const CACHED_FACETS = 32;
/** Views kept with their first matches in order: at most 64 × 5,000 slots, 1.3 MB. */
const DEFAULT_CACHED_VIEWS = 64;
const VIEW_WINDOW_MAX = 5_000;
/** Four pages of 50, the table's default page size, per view worked out. */
const VIEW_WINDOW_MIN = 200;
/**
 * Walking a precomputed order visits about end·n/m positions for m matches; collecting the
 * matches and heap-selecting costs about m comparator calls, each some 8 walk steps.
 */
const WALK_FACTOR = 8;
const EMPTY = new Int32Array(0);
const MAX_SPARE_BITSETS = 16;

interface FilterMasks {
  /** What allowedAccounts lets the caller see. */
  visible: Bitset;
  /** One mask per facet filter given; read-only (some are the index's own bitsets). */
  facets: Partial<Record<FacetDimension, Bitset>>;
}

/**
 * Every case in memory, answering table, export, facet and chart queries without Redis.
 *
 * Filters are a few word-wide ANDs over bitsets of 12.5 KB for 100k cases; a page walks a
 * precomputed sort order and stops at its last row (see CaseColumns for what is kept per
 * case). Orders are brought up to date lazily, at most once per change batch. Not safe for
 * concurrent mutation: it belongs to one event loop.
 */
export class CaseIndex {
  private readonly columns = new CaseColumns();
  /** Facets by filter (as JSON), emptied by every change. */
  private readonly facetCache = new Map<string, CaseFacets>();
  private readonly views: ViewCache;
  private daysScratch = new Int32Array(0);
  private slotScratch = new Int32Array(0);
  /**
   * Bitsets a query borrows and hands back when it returns: at 100k cases each is 12.5 KB off
   * the V8 heap, and allocating three or four per request made the collector run far more often.
   */
  private spareBitsets: Bitset[] = [];
  private lentBitsets: Bitset[] | null = null;
  private generationCount = 0;

  constructor(options: CaseIndexOptions = {}) {
    this.views = new ViewCache(
      options.cachedViews ?? DEFAULT_CACHED_VIEWS,
      VIEW_WINDOW_MAX,
      VIEW_WINDOW_MIN,
    );
  }

  /**
   * Brings every kept sort order up to date, so that no query pays for it: the service calls
   * this after the load and after each change batch, off the request path.
   */
  prepare(): void {
    while (this.prepareNext());
  }

  /**
   * Brings one stale sort order up to date (a few ms at 100k cases after a small batch);
   * false when none was stale. Lets the caller yield to other work between orders.
   */
  prepareNext(): boolean {
    return this.columns.prepareNext();
  }

  get size(): number {
    return this.columns.count;
  }

  /** Counts the loads and change batches applied: what was derived at another one is stale. */
  get generation(): number {
    return this.generationCount;
  }

  get(id: string): SupportCase | undefined {
    return this.columns.get(id);
  }

  replaceAll(cases: Iterable<SupportCase>): void {
    try {
      this.columns.replaceAll(Array.isArray(cases) ? (cases as SupportCase[]) : [...cases]);
    } finally {
      this.clearCaches();
    }
  }

  apply(changes: CaseChanges): void {
    // A batch that fails partway may have changed some slots: what was derived before is stale.
    let changed = true;
    try {
      changed = this.columns.apply(changes);
    } finally {
      if (changed) this.clearCaches();
    }
  }

  // Cached facets and views hold until the next change.
  private clearCaches(): void {
    this.generationCount++;
    this.facetCache.clear();
    this.views.clear();
  }

  query(q: CaseQuery, now: Date = new Date()): CaseQueryResult {
    // Nothing borrowed outlives this call: the result holds cases, not slots or bitsets.
    this.lentBitsets = [];
    try {
      return this.runQuery(q, now);
    } finally {
      for (const bits of this.lentBitsets) {
        if (this.spareBitsets.length < MAX_SPARE_BITSETS) this.spareBitsets.push(bits);
      }
      this.lentBitsets = null;
    }
  }

  private runQuery(q: CaseQuery, now: Date): CaseQueryResult {
    const start = Math.max(0, Math.floor(q.offset) || 0);
    const wanted = start + Math.max(0, Math.floor(q.limit) || 0);
    const key = this.views.keyOf(q.filter, q.sort);
    const cached = key === null ? undefined : this.views.get(key, wanted);
    if (cached) return this.pageOf(cached, start, wanted);

    const masks = this.masks(q.filter);
    const total =
      (q.filter.allowedAccounts ?? null) === null ? this.columns.count : popcount(masks.visible);
    const { match, matched: filtered } = this.combine(masks, q.filter);
    const window = key === null ? 0 : this.views.windowFor(key, wanted, filtered);
    if (window > 0) {
      const view = {
        total,
        filtered,
        ordered: this.arrange(match, filtered, q.sort, 0, window, now, q.filter),
      };
      this.views.set(key!, view);
      return this.pageOf(view, start, wanted);
    }
    const end = Math.min(filtered, wanted);
    const slots =
      start < end ? this.arrange(match, filtered, q.sort, start, end, now, q.filter) : EMPTY;
    return { total, filtered, items: this.casesAt(slots), slots };
  }

  private pageOf(view: CachedView, start: number, wanted: number): CaseQueryResult {
    const end = Math.min(view.filtered, wanted);
    const slots = start < end ? view.ordered.slice(start, end) : EMPTY;
    return { total: view.total, filtered: view.filtered, items: this.casesAt(slots), slots };
  }

  private casesAt(slots: Int32Array): SupportCase[] {
    const items: SupportCase[] = new Array<SupportCase>(slots.length);
    for (let i = 0; i < slots.length; i++) items[i] = this.columns.cases[slots[i]]!;
    return items;
  }

  /**
   * The whole filtered view in order, for exports. The view is taken when this is called, so
   * changes applied while the caller streams it do not show.
   */
  iterate(
    filter: CaseFilter,
    sort: readonly SortKey[],
    now: Date = new Date(),
  ): IterableIterator<SupportCase, undefined> {
    const { match, matched } = this.combine(this.masks(filter), filter);
    const slots =
      matched === 0 ? EMPTY : this.arrange(match, matched, sort, 0, matched, now, filter);
    return Array.from(slots, (slot) => this.columns.cases[slot]!).values();
  }

  /** Every matching case, in no particular order, with its dates already parsed. */
  forEachMatch(filter: CaseFilter, visit: CaseVisitor): void {
    const { match } = this.combine(this.masks(filter), filter);
    const { cases, createdMs, updatedMs, endedMs } = this.columns;
    forEachBit(match, (slot) =>
      visit(cases[slot]!, createdMs[slot], updatedMs[slot], endedMs[slot]),
    );
  }

  /** The result is shared between callers with the same filter until the next change: do not mutate it. */
  facets(filter: CaseFilter): CaseFacets {
    // Page loads ask for the same few facet views (one per account scope) again and again.
    const key = JSON.stringify(filter);
    const cached = this.facetCache.get(key);
    if (cached) return cached;
    const facets = this.countFacets(filter);
    setRecent(this.facetCache, key, facets, CACHED_FACETS);
    return facets;
  }

  private countFacets(filter: CaseFilter): CaseFacets {
    const masks = this.masks(filter);
    const base = masks.visible;
    this.applyOpen(base, filter.open);
    this.applyDates(base, filter);
    this.columns.search.narrow(base, filter.q, this.columns.live, this.columns.count);
    const except = (own: FacetDimension): Bitset => {
      const mask = base.slice();
      for (const dimension of FACET_DIMENSIONS) {
        const other = masks.facets[dimension];
        if (dimension !== own && other) andInto(mask, other);
      }
      return mask;
    };
    return {
      source: enumCounts(SOURCES, this.columns.bySource, except('source')),
      status: enumCounts(CASE_STATUSES, this.columns.byStatus, except('status')),
      severity: enumCounts(SEVERITIES, this.columns.bySeverity, except('severity')),
      account: this.columns.accounts.topValues(except('account'), TOP_VALUES),
      assignee: this.columns.assignees.topValues(except('assignee'), TOP_VALUES),
      product: this.columns.products.topValues(except('product'), TOP_VALUES),
    };
  }

  /** The values present, sorted as the table sorts them; null is left out. */
  distinct(field: FacetField, allowedAccounts: readonly string[] | null = null): string[] {
    const column = this.column(field);
    const counts =
      allowedAccounts === null
        ? Int32Array.from({ length: column.size }, (_, id) => column.count(id))
        : column.countIn(this.visibleMask(allowedAccounts));
    const ids: number[] = [];
    for (let id = 1; id < column.size; id++) if (counts[id] > 0) ids.push(id);
    return ids.sort((a, b) => column.compareIds(a, b)).map((id) => column.value(id)!);
  }

  private column(field: FacetField): FacetColumn {
    switch (field) {
      case 'account':
        return this.columns.accounts;
      case 'assignee':
        return this.columns.assignees;
      case 'product':
        return this.columns.products;
    }
  }

  private masks(filter: CaseFilter): FilterMasks {
    const facets: FilterMasks['facets'] = {};
    if (filter.source?.length)
      facets.source = this.union(this.columns.bySource, filter.source, SOURCE_CODE);
    if (filter.status?.length)
      facets.status = this.union(this.columns.byStatus, filter.status, STATUS_CODE);
    if (filter.severity?.length) {
      facets.severity = this.union(this.columns.bySeverity, filter.severity, SEVERITY_CODE);
    }
    if (filter.account?.length)
      facets.account = this.postings(this.columns.accounts, filter.account);
    if (filter.assignee?.length)
      facets.assignee = this.postings(this.columns.assignees, filter.assignee);
    if (filter.product?.length)
      facets.product = this.postings(this.columns.products, filter.product);
    return { visible: this.visibleMask(filter.allowedAccounts ?? null), facets };
  }

  /**
   * All filters ANDed, in `masks.visible` itself, and the matches counted: the facet masks in
   * one pass with the count, the per-slot tests last, on fewer slots.
   */
  private combine(masks: FilterMasks, filter: CaseFilter): { match: Bitset; matched: number } {
    const match = masks.visible;
    let matched = andAll(match, match, Object.values(masks.facets));
    if (
      filter.open ||
      filter.updatedBefore ||
      filter.updatedAfter ||
      filter.createdAfter ||
      filter.q
    ) {
      this.applyOpen(match, filter.open);
      this.applyDates(match, filter);
      this.columns.search.narrow(match, filter.q, this.columns.live, this.columns.count);
      matched = popcount(match);
    }
    return { match, matched };
  }

  /** A restriction is strict: '' does not let a partner see the cases without an account. */
  private visibleMask(allowedAccounts: readonly string[] | null): Bitset {
    if (allowedAccounts === null) {
      const bits = this.blankBitset(false);
      bits.set(this.columns.live);
      return bits;
    }
    const named = allowedAccounts.filter((account) => account !== '');
    return this.postings(this.columns.accounts, named);
  }

  private union<T extends string>(
    byValue: Bitset[],
    values: readonly T[],
    code: Record<T, number>,
  ): Bitset {
    // One value: its own bitset, read-only like every facet mask, saves a copy per request.
    const only = values.length === 1 ? (byValue[code[values[0]]] as Bitset | undefined) : undefined;
    if (only?.length === (this.columns.capacity + 31) >>> 5) return only;
    const bits = this.blankBitset(true);
    for (const value of values) {
      const bitsOfValue = byValue[code[value]] as Bitset | undefined;
      if (bitsOfValue) for (let w = 0; w < bits.length; w++) bits[w] |= bitsOfValue[w];
    }
    return bits;
  }

  private postings(column: FacetColumn, values: readonly string[]): Bitset {
    const bits = this.blankBitset(true);
    for (const value of values) {
      const id = column.idOf(value);
      if (id !== undefined) column.addSlotsTo(bits, id);
    }
    return bits;
  }

  /** A bitset for the current capacity: borrowed while a query runs, else new. */
  private blankBitset(cleared: boolean): Bitset {
    if (this.lentBitsets === null) return newBitset(this.columns.capacity);
    const words = (this.columns.capacity + 31) >>> 5;
    let bits = this.spareBitsets.pop();
    if (bits?.length !== words) bits = newBitset(this.columns.capacity);
    else if (cleared) bits.fill(0);
    this.lentBitsets.push(bits);
    return bits;
  }

  private applyOpen(mask: Bitset, open: boolean | undefined): void {
    if (open) andInto(mask, this.columns.openBits);
  }

  private applyDates(mask: Bitset, filter: CaseFilter): void {
    const before = instant(filter.updatedBefore, 'updatedBefore');
    const after = instant(filter.updatedAfter, 'updatedAfter');
    const createdAfter = instant(filter.createdAfter, 'createdAfter');
    if (before === undefined && after === undefined && createdAfter === undefined) return;
    const below = before ?? Infinity;
    const from = after ?? -Infinity;
    const { updatedMs, createdMs } = this.columns;
    if (createdAfter === undefined) {
      retainBits(mask, (slot) => updatedMs[slot] < below && updatedMs[slot] >= from);
    } else {
      retainBits(
        mask,
        (slot) =>
          updatedMs[slot] < below && updatedMs[slot] >= from && createdMs[slot] >= createdAfter,
      );
    }
  }

  /**
   * The matches in each group of an order over source, status or severity (fields with a
   * bitset per value, a few groups each), or null for other fields. A filter on the sorted
   * field leaves most groups empty, and a page deep in the view starts groups later: knowing
   * the counts, the walk goes straight to the page instead of reading everything before it.
   */
  private groupMatches(
    field: IndexedField,
    order: SortOrder,
    match: Bitset,
    filter: CaseFilter,
  ): Int32Array | null {
    const [byValue, codeOf, asked] =
      field === 'source'
        ? [this.columns.bySource, this.columns.sourceOf, filter.source?.map((v) => SOURCE_CODE[v])]
        : field === 'status'
          ? [
              this.columns.byStatus,
              this.columns.statusOf,
              filter.status?.map((v) => STATUS_CODE[v]),
            ]
          : field === 'severity'
            ? [
                this.columns.bySeverity,
                this.columns.severityOf,
                filter.severity?.map((v) => SEVERITY_CODE[v]),
              ]
            : [null, null, undefined];
    if (byValue === null) return null;
    const counts = new Int32Array(order.groups);
    for (let group = 0; group < order.groups; group++) {
      const code = codeOf[order.order[order.bounds[group]]];
      // A value the filter leaves out has no match: no need to count.
      if (asked?.length && !asked.includes(code)) continue;
      const bits = byValue[code] as Bitset | undefined;
      counts[group] = bits ? popcountAnd(bits, match) : 0;
    }
    return counts;
  }

  /** Positions [start, end) of the matching slots in `sort` order. */
  private arrange(
    match: Bitset,
    matched: number,
    sort: readonly SortKey[],
    start: number,
    end: number,
    now: Date,
    filter: CaseFilter,
  ): Int32Array {
    const keys = distinctKeys(sort);
    const idOrder = this.columns.freshIdOrder();
    if (keys.length === 0) return walkPage(idOrder, false, match, start, end, null);
    const [primary] = keys;
    if (keys.length === 1 && primary.field === 'daysOpen') {
      return this.pageByDaysOpen(match, matched, primary.dir === 'desc', start, end, now);
    }
    const ranks = keys.map((key) =>
      key.field === 'daysOpen'
        ? this.daysOpen(match, now.getTime())
        : this.columns.order(key.field).rank,
    );
    const signs = keys.map((key) => (key.dir === 'desc' ? -1 : 1));
    const idRank = idOrder.rank;
    if (primary.field !== 'daysOpen') {
      const order = this.columns.order(primary.field);
      const desc = primary.dir === 'desc';
      const rest = () =>
        keys.length > 1 ? rankComparator(ranks.slice(1), signs.slice(1), idRank) : null;
      const counts = this.groupMatches(primary.field, order, match, filter);
      if (
        counts !== null &&
        groupWalkCost(order, counts, desc, start, end, keys.length > 1) <= WALK_FACTOR * matched
      ) {
        return walkPage(order, desc, match, start, end, rest(), counts);
      }
      if (end * this.columns.count <= WALK_FACTOR * matched * matched) {
        return walkPage(order, desc, match, start, end, rest());
      }
      if (keys.length === 1) {
        return pageByPositions(order, desc, match, start, end, this.blankBitset(true));
      }
    }
    if (this.slotScratch.length < this.columns.capacity)
      this.slotScratch = new Int32Array(this.columns.capacity);
    const slots = this.slotScratch.subarray(0, matched);
    collectBits(match, slots);
    return smallestK(slots, end, rankComparator(ranks, signs, idRank)).slice(start, end);
  }

  /**
   * Merges two kept orders when the matches are dense enough in both for short walks; else
   * (few matches) scores every match.
   */
  private pageByDaysOpen(
    match: Bitset,
    matched: number,
    desc: boolean,
    start: number,
    end: number,
    now: Date,
  ): Int32Array {
    const byCreated = this.columns.order('createdAt');
    const byEndedDays = this.columns.freshEndedDaysOrder();
    const endedMatches = popcountAnd(match, this.columns.endedBits);
    const walks = [
      [matched - endedMatches, byCreated.nonNull - byEndedDays.nonNull],
      [endedMatches, byEndedDays.nonNull],
    ].every(([hits, length]) => hits === 0 || end * length <= WALK_FACTOR * hits * hits);
    const columns = {
      createdMs: this.columns.createdMs,
      endedMs: this.columns.endedMs,
      idOrder: this.columns.idOrder,
      byCreated,
      byEndedDays,
      anyRunning: endedMatches < matched,
      anyEnded: endedMatches > 0,
    };
    return walks || !canScoreDaysOpen(this.columns.capacity)
      ? daysOpenPage(columns, match, desc, start, end, now.getTime())
      : scoredDaysOpenPage(columns, match, matched, desc, start, end, now.getTime());
  }

  /** daysOpen of the matching slots, in a scratch column (NULL_RANK without createdAt). */
  private daysOpen(match: Bitset, nowMs: number): Int32Array {
    if (this.daysScratch.length !== this.columns.capacity)
      this.daysScratch = new Int32Array(this.columns.capacity);
    const days = this.daysScratch;
    const { createdMs, endedMs } = this.columns;
    forEachBit(match, (slot) => {
      const created = createdMs[slot];
      days[slot] = isMissing(created) ? NULL_RANK : wholeDaysOpen(created, endedMs[slot], nowMs);
    });
    return days;
  }
}

function distinctKeys(sort: readonly SortKey[]): SortKey[] {
  const seen = new Set<SortableField>();
  const keys: SortKey[] = [];
  for (const key of sort) {
    if (!(SORTABLE_FIELDS as readonly string[]).includes(key.field)) {
      throw new CaseQueryError(`cannot sort by ${String(key.field)}`);
    }
    // A later key on the same field can never decide anything.
    if (!seen.has(key.field)) keys.push(key);
    seen.add(key.field);
  }
  return keys;
}

function enumCounts<T extends string>(
  values: readonly T[],
  byValue: Bitset[],
  mask: Bitset,
): Record<T, number> {
  return Object.fromEntries(
    values.map((value, i) => [value, popcountAnd(mask, byValue[i])]),
  ) as Record<T, number>;
}

function instant(iso: string | undefined, name: string): number | undefined {
  if (iso === undefined || iso === '') return undefined;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new CaseQueryError(`${name} is not a timestamp: ${iso}`);
  return ms;
}
