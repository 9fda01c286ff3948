import {
  CASE_STATUSES,
  SEVERITIES,
  SOURCES,
  type CaseStatus,
  type SupportCase,
} from '../cases/case.model.js';
import { clearBit, grownBitset, newBitset, setBit, type Bitset } from './bitset.js';
import type { SortableField } from './case-query.js';
import { collationKey } from './collation.js';
import { wholeDaysOpen } from './days-open.js';
import { FacetColumn } from './facet-column.js';
import { SortOrder } from './sort-order.js';
import { TextSearch } from './text-search.js';

/** One batch from the change feed. Removals are applied before upserts. */
export interface CaseChanges {
  upserts: readonly SupportCase[];
  removedIds: readonly string[];
}

export type IndexedField = Exclude<SortableField, 'daysOpen'>;

const OPEN_STATUSES: readonly CaseStatus[] = ['new', 'open', 'pending'];
const IS_OPEN_CODE = CASE_STATUSES.map((status) => OPEN_STATUSES.includes(status));
const MIN_CAPACITY = 1024;

function codes<T extends string>(values: readonly T[]): Record<T, number> {
  return Object.fromEntries(values.map((value, i) => [value, i])) as Record<T, number>;
}
export const SOURCE_CODE = codes(SOURCES);
export const STATUS_CODE = codes(CASE_STATUSES);
export const SEVERITY_CODE = codes(SEVERITIES);
/** Sources sort by name; severities and statuses by their vocabulary order. */
const SOURCE_RANK = SOURCES.map((source) => [...SOURCES].sort().indexOf(source));

/**
 * What CaseIndex queries read, kept current case by case. Cases live in numbered slots.
 * Per-slot columns (typed arrays) hold what filters and sorts read; per-value bitsets (source,
 * status, severity) and posting lists (account, assignee, product) turn filters into a few
 * word-wide ANDs; one SortOrder per sortable field is marked stale where a change touches it.
 *
 * The fields are public for the query loops to read directly; only this class writes them.
 */
export class CaseColumns {
  capacity = 0;
  count = 0;
  cases: (SupportCase | undefined)[] = [];
  live = newBitset(0);
  sourceOf = new Uint8Array(0);
  statusOf = new Uint8Array(0);
  severityOf = new Uint8Array(0);
  createdMs = new Float64Array(0);
  updatedMs = new Float64Array(0);
  /** closedAt ?? resolvedAt; NaN while the case runs. */
  endedMs = new Float64Array(0);
  /** Slots whose case is open work (status new, open or pending). */
  openBits = newBitset(0);
  /** Slots whose case has ended (closedAt ?? resolvedAt set). */
  endedBits = newBitset(0);
  bySource: Bitset[] = [];
  byStatus: Bitset[] = [];
  bySeverity: Bitset[] = [];
  accounts = new FacetColumn(0);
  assignees = new FacetColumn(0);
  products = new FacetColumn(0);
  readonly search = new TextSearch();
  readonly idOrder = new SortOrder((slot) => this.idKeys[slot], null);
  readonly orders: Record<IndexedField, SortOrder>;
  /** The fixed daysOpen of ended cases, half of what a daysOpen page merges. */
  readonly endedDaysOrder: SortOrder;
  private readonly keptOrders: SortOrder[];
  private nextSlot = 0;
  private slotById = new Map<string, number>();
  private free: number[] = [];
  private idKeys: string[] = [];
  private keyKeys: string[] = [];
  private titleKeys: string[] = [];

  constructor() {
    const by = (valueOf: (slot: number) => string | number | null) =>
      new SortOrder(valueOf, this.idOrder);
    this.orders = {
      source: by((slot) => SOURCE_RANK[this.sourceOf[slot]]),
      key: by((slot) => this.keyKeys[slot]),
      severity: by((slot) => this.severityOf[slot]),
      title: by((slot) => this.titleKeys[slot]),
      account: by((slot) => this.accounts.sortKeyAt(slot)),
      status: by((slot) => this.statusOf[slot]),
      assignee: by((slot) => this.assignees.sortKeyAt(slot)),
      product: by((slot) => this.products.sortKeyAt(slot)),
      createdAt: by((slot) => timeValue(this.createdMs[slot])),
      updatedAt: by((slot) => timeValue(this.updatedMs[slot])),
    };
    this.endedDaysOrder = by((slot) => {
      const created = this.createdMs[slot];
      const ended = this.endedMs[slot];
      return isMissing(created) || isMissing(ended) ? null : wholeDaysOpen(created, ended, 0);
    });
    this.keptOrders = [...Object.values(this.orders), this.endedDaysOrder];
    this.allocate(MIN_CAPACITY);
  }

  get(id: string): SupportCase | undefined {
    const slot = this.slotById.get(id);
    return slot === undefined ? undefined : this.cases[slot];
  }

  /** A sort order, brought up to date first if a change made it stale. */
  order(field: IndexedField): SortOrder {
    const order = this.orders[field];
    order.refresh(this.live, this.count, this.capacity);
    return order;
  }

  /** The order by id (every other order's tie-break), brought up to date. */
  freshIdOrder(): SortOrder {
    this.idOrder.refresh(this.live, this.count, this.capacity);
    return this.idOrder;
  }

  /** The order by the fixed daysOpen of ended cases, brought up to date. */
  freshEndedDaysOrder(): SortOrder {
    this.endedDaysOrder.refresh(this.live, this.count, this.capacity);
    return this.endedDaysOrder;
  }

  /** Brings one stale sort order up to date; false when none was stale. */
  prepareNext(): boolean {
    const order = [this.idOrder, ...this.keptOrders].find((candidate) => candidate.stale);
    order?.refresh(this.live, this.count, this.capacity);
    return order !== undefined;
  }

  /** Replaces every case; a case it cannot hold fails the call before anything changes. */
  replaceAll(cases: readonly SupportCase[]): void {
    for (const c of cases) checkCodes(c);
    this.allocate(Math.max(MIN_CAPACITY, Math.ceil(cases.length * 1.25)));
    for (const c of cases) this.upsert(c);
  }

  /**
   * Applies a change batch; false when it touched no slot. A case it cannot hold fails the
   * batch before anything changes.
   */
  apply(changes: CaseChanges): boolean {
    for (const c of changes.upserts) checkCodes(c);
    const touched = new Set<number>();
    try {
      for (const id of changes.removedIds) {
        const slot = this.remove(id);
        if (slot !== undefined) touched.add(slot);
      }
      for (const c of changes.upserts) touched.add(this.upsert(c));
    } catch (error) {
      // The slot being written when it failed is not in `touched`: no cached search can be trusted.
      this.search.forgetSearches();
      throw error;
    }
    if (touched.size === 0) return false;
    this.search.refresh(touched, this.live);
    return true;
  }

  private allocate(capacity: number): void {
    this.capacity = capacity;
    this.nextSlot = 0;
    this.count = 0;
    this.cases = [];
    this.slotById = new Map();
    this.free = [];
    this.live = newBitset(capacity);
    this.sourceOf = new Uint8Array(capacity);
    this.statusOf = new Uint8Array(capacity);
    this.severityOf = new Uint8Array(capacity);
    this.createdMs = new Float64Array(capacity);
    this.updatedMs = new Float64Array(capacity);
    this.endedMs = new Float64Array(capacity);
    this.endedBits = newBitset(capacity);
    this.openBits = newBitset(capacity);
    this.idKeys = [];
    this.keyKeys = [];
    this.titleKeys = [];
    this.bySource = SOURCES.map(() => newBitset(capacity));
    this.byStatus = CASE_STATUSES.map(() => newBitset(capacity));
    this.bySeverity = SEVERITIES.map(() => newBitset(capacity));
    this.accounts = new FacetColumn(capacity);
    this.assignees = new FacetColumn(capacity);
    this.products = new FacetColumn(capacity);
    this.search.reset();
    this.resetOrders();
  }

  private grow(capacity: number): void {
    this.capacity = capacity;
    this.live = grownBitset(this.live, capacity);
    this.sourceOf = grown(this.sourceOf, new Uint8Array(capacity));
    this.statusOf = grown(this.statusOf, new Uint8Array(capacity));
    this.severityOf = grown(this.severityOf, new Uint8Array(capacity));
    this.createdMs = grown(this.createdMs, new Float64Array(capacity));
    this.updatedMs = grown(this.updatedMs, new Float64Array(capacity));
    this.endedMs = grown(this.endedMs, new Float64Array(capacity));
    this.endedBits = grownBitset(this.endedBits, capacity);
    this.openBits = grownBitset(this.openBits, capacity);
    this.bySource = this.bySource.map((bits) => grownBitset(bits, capacity));
    this.byStatus = this.byStatus.map((bits) => grownBitset(bits, capacity));
    this.bySeverity = this.bySeverity.map((bits) => grownBitset(bits, capacity));
    this.accounts.grow(capacity);
    this.assignees.grow(capacity);
    this.products.grow(capacity);
    this.search.grow(capacity);
    this.resetOrders();
  }

  private resetOrders(): void {
    this.idOrder.reset();
    for (const order of this.keptOrders) order.reset();
  }

  private takeSlot(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.nextSlot === this.capacity) this.grow(this.capacity * 2);
    return this.nextSlot++;
  }

  private upsert(c: SupportCase): number {
    let slot = this.slotById.get(c.id);
    const previous = slot === undefined ? undefined : this.cases[slot];
    if (slot === undefined) {
      slot = this.takeSlot();
      this.slotById.set(c.id, slot);
      setBit(this.live, slot);
      this.count++;
      this.idKeys[slot] = `${collationKey(c.id)}\u0000${c.id}`;
      this.idOrder.touch(slot);
    }
    const isNew = previous === undefined;
    const orders = this.orders;
    this.cases[slot] = c;
    this.setCode(this.bySource, this.sourceOf, slot, SOURCE_CODE[c.source], isNew, orders.source);
    this.setCode(this.byStatus, this.statusOf, slot, STATUS_CODE[c.status], isNew, orders.status);
    if (IS_OPEN_CODE[this.statusOf[slot]]) setBit(this.openBits, slot);
    else clearBit(this.openBits, slot);
    this.setCode(
      this.bySeverity,
      this.severityOf,
      slot,
      SEVERITY_CODE[c.severity],
      isNew,
      orders.severity,
    );
    if (previous?.key !== c.key) {
      this.keyKeys[slot] = collationKey(c.key);
      orders.key.touch(slot);
    }
    if (previous?.title !== c.title) {
      this.titleKeys[slot] = collationKey(c.title);
      orders.title.touch(slot);
    }
    if (this.accounts.set(slot, c.account)) orders.account.touch(slot);
    if (this.assignees.set(slot, c.assignee)) orders.assignee.touch(slot);
    if (this.products.set(slot, c.product)) orders.product.touch(slot);
    const created = parseTime(c.createdAt);
    const previousCreated = this.createdMs[slot];
    if (isNew || !Object.is(created, previousCreated)) {
      this.createdMs[slot] = created;
      orders.createdAt.touch(slot);
    }
    const updated = parseTime(c.updatedAt);
    if (isNew || !Object.is(updated, this.updatedMs[slot])) {
      this.updatedMs[slot] = updated;
      orders.updatedAt.touch(slot);
    }
    const ended = parseTime(c.closedAt ?? c.resolvedAt);
    if (isNew || !Object.is(ended, this.endedMs[slot]) || !Object.is(created, previousCreated)) {
      this.endedMs[slot] = ended;
      if (isMissing(ended)) clearBit(this.endedBits, slot);
      else setBit(this.endedBits, slot);
      this.endedDaysOrder.touch(slot);
    }
    this.search.set(slot, c);
    return slot;
  }

  private setCode(
    byValue: Bitset[],
    column: Uint8Array,
    slot: number,
    code: number,
    isNew: boolean,
    order: SortOrder,
  ): void {
    if (!isNew) {
      if (column[slot] === code) return;
      clearBit(byValue[column[slot]], slot);
    }
    column[slot] = code;
    setBit(byValue[code], slot);
    order.touch(slot);
  }

  private remove(id: string): number | undefined {
    const slot = this.slotById.get(id);
    if (slot === undefined) return undefined;
    this.slotById.delete(id);
    this.cases[slot] = undefined;
    this.count--;
    clearBit(this.live, slot);
    clearBit(this.endedBits, slot);
    clearBit(this.openBits, slot);
    clearBit(this.bySource[this.sourceOf[slot]], slot);
    clearBit(this.byStatus[this.statusOf[slot]], slot);
    clearBit(this.bySeverity[this.severityOf[slot]], slot);
    this.accounts.clear(slot);
    this.assignees.clear(slot);
    this.products.clear(slot);
    this.idKeys[slot] = this.keyKeys[slot] = this.titleKeys[slot] = '';
    this.search.remove(slot);
    this.idOrder.touch(slot);
    for (const order of this.keptOrders) order.touch(slot);
    this.free.push(slot);
    return slot;
  }
}

function parseTime(iso: string | null): number {
  return iso === null ? NaN : Date.parse(iso);
}

function timeValue(ms: number): number | null {
  return isMissing(ms) ? null : ms;
}

/** NaN marks a missing date; testing it without Number.isNaN avoids a global lookup (bitset.ts). */
export function isMissing(ms: number): boolean {
  return ms !== ms;
}

function grown<T extends Uint8Array | Float64Array>(old: T, fresh: T): T {
  fresh.set(old);
  return fresh;
}

/** The vocabularies are closed: a value outside them has no bitset to go in. */
function checkCodes(c: SupportCase): void {
  if (!Object.hasOwn(SOURCE_CODE, c.source)) throw new Error(`${c.id}: unknown source ${c.source}`);
  if (!Object.hasOwn(STATUS_CODE, c.status)) throw new Error(`${c.id}: unknown status ${c.status}`);
  if (!Object.hasOwn(SEVERITY_CODE, c.severity)) {
    throw new Error(`${c.id}: unknown severity ${c.severity}`);
  }
}
