import { collectBits, hasBit, newBitset, setBit, type Bitset } from './bitset.js';

/** Rank of a null value in `SortOrder.rank`, and of a missing value in any per-slot sort rank. */
export const NULL_RANK = 0x7fffffff;

/** A slot's value in a sort order: a collation key, a number, or null. Never NaN. */
export type SortValueOf = (slot: number) => string | number | null;

/** Up to this share of the cases touched, re-inserting them beats sorting everything again. */
const PATCH_SHARE = 1 / 4;

/**
 * The live slots ordered by one field: values ascending, nulls last, equal values in the order
 * of `tie` (the id order; the id order itself has no tie). Built once, then kept: the first
 * read after a change batch re-inserts only the slots the batch touched (binary search, then
 * integer-only O(n) passes) instead of sorting every case again.
 */
export class SortOrder {
  /** The live slots, ascending. */
  order = new Int32Array(0);
  /** Per live slot: the index of its group of equal values, NULL_RANK for null. */
  rank = new Int32Array(0);
  /** bounds[g] is the first position of group g; bounds[groups] is nonNull. */
  bounds = new Int32Array(1);
  groups = 0;
  /** Positions from nonNull to the end hold the slots whose value is null. */
  nonNull = 0;
  private readonly touched = new Set<number>();
  private built = false;
  private positionOf = new Int32Array(0);
  private positionsStale = true;
  private starts = newBitset(0);
  private startsStale = true;

  constructor(
    private readonly valueOf: SortValueOf,
    private readonly tie: SortOrder | null,
  ) {}

  /** Records a slot whose value changed, or that was added or removed. */
  touch(slot: number): void {
    if (this.built) this.touched.add(slot);
  }

  /** Whether a refresh has work to do. */
  get stale(): boolean {
    return !this.built || this.touched.size > 0;
  }

  /** The next refresh sorts from scratch. */
  reset(): void {
    this.built = false;
    this.touched.clear();
  }

  /** Brings the order up to date with `live` (holding `count` slots) before it is read. */
  refresh(live: Bitset, count: number, capacity: number): void {
    this.tie?.refresh(live, count, capacity);
    if (this.built && this.touched.size === 0) return;
    const patched =
      this.built &&
      this.touched.size <= count * PATCH_SHARE &&
      this.rank.length === capacity &&
      this.patch(live, count, capacity);
    if (!patched) this.rebuild(live, count, capacity);
    this.positionsStale = true;
    this.startsStale = true;
    this.touched.clear();
    this.built = true;
  }

  /** Per live slot, its index in `order`: worked out on first use after each change. */
  get positions(): Int32Array {
    if (this.positionsStale || this.positionOf.length !== this.rank.length) {
      if (this.positionOf.length !== this.rank.length) {
        this.positionOf = new Int32Array(this.rank.length);
      }
      const { order, positionOf } = this;
      for (let i = 0; i < order.length; i++) positionOf[order[i]] = i;
      this.positionsStale = false;
    }
    return this.positionOf;
  }

  /** A bit per position in `order`, set where a group starts (and where the nulls start). */
  get groupStarts(): Bitset {
    if (this.startsStale) {
      const starts = newBitset(this.order.length + 1);
      for (let g = 0; g <= this.groups; g++) setBit(starts, this.bounds[g]);
      this.starts = starts;
      this.startsStale = false;
    }
    return this.starts;
  }

  /** Orders two live slots as `order` does. */
  compare(a: number, b: number): number {
    const va = this.valueOf(a);
    const vb = this.valueOf(b);
    if (va !== vb) {
      if (va === null) return 1;
      if (vb === null) return -1;
      return va < vb ? -1 : 1;
    }
    return this.tie ? this.tie.rank[a] - this.tie.rank[b] : 0;
  }

  private rebuild(live: Bitset, count: number, capacity: number): void {
    let slots = this.tie?.order;
    if (!slots) {
      slots = new Int32Array(count);
      collectBits(live, slots);
    }
    const rank = this.rank.length === capacity ? this.rank : new Int32Array(capacity);
    const groups = rankValues(slots, this.valueOf, rank);
    const next = new Int32Array(groups + 1);
    for (const slot of slots) next[rank[slot] === NULL_RANK ? groups : rank[slot]]++;
    let start = 0;
    for (let g = 0; g <= groups; g++) {
      const size = next[g];
      next[g] = start;
      start += size;
    }
    this.bounds = next.slice();
    const order = new Int32Array(count);
    // Taking the slots in tie order keeps every group in tie order (a stable bucket sort).
    for (const slot of slots) order[next[rank[slot] === NULL_RANK ? groups : rank[slot]]++] = slot;
    this.order = order;
    this.rank = rank;
    this.groups = groups;
    this.nonNull = this.bounds[groups];
  }

  /** Re-inserts the touched slots into the kept order; false when the books do not balance. */
  private patch(live: Bitset, count: number, capacity: number): boolean {
    const isTouched = new Uint8Array(capacity);
    const inserted: number[] = [];
    for (const slot of this.touched) {
      isTouched[slot] = 1;
      if (hasBit(live, slot)) inserted.push(slot);
    }
    const previous = this.order;
    const kept = new Int32Array(previous.length);
    let keptCount = 0;
    for (let i = 0; i < previous.length; i++) {
      if (isTouched[previous[i]] === 0) kept[keptCount++] = previous[i];
    }
    if (keptCount + inserted.length !== count) return false;
    inserted.sort((a, b) => this.compare(a, b));
    const order = new Int32Array(count);
    const isInserted = new Uint8Array(count);
    let from = 0;
    let at = 0;
    for (const slot of inserted) {
      let lo = from;
      let hi = keptCount;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.compare(kept[mid], slot) < 0) lo = mid + 1;
        else hi = mid;
      }
      order.set(kept.subarray(from, lo), at);
      at += lo - from;
      isInserted[at] = 1;
      order[at++] = slot;
      from = lo;
    }
    order.set(kept.subarray(from, keptCount), at);
    this.order = order;
    this.regroup(isInserted);
    return true;
  }

  /**
   * Renumbers the groups after a patch. Two neighbours that were both kept are in one group
   * exactly when their old ranks are equal; only next to an inserted slot are values compared.
   */
  private regroup(isInserted: Uint8Array): void {
    const { order, rank } = this;
    const count = order.length;
    const bounds = new Int32Array(count + 1);
    let groups = 0;
    let nonNull = count;
    let previousSlot = -1;
    let previousOld = -1;
    let previousInserted = true;
    for (let i = 0; i < count; i++) {
      const slot = order[i];
      const inserted = isInserted[i] === 1;
      const old = inserted ? -1 : rank[slot];
      if (inserted ? this.valueOf(slot) === null : old === NULL_RANK) {
        nonNull = i;
        for (let j = i; j < count; j++) rank[order[j]] = NULL_RANK;
        break;
      }
      const startsGroup =
        i === 0 ||
        (inserted || previousInserted
          ? this.valueOf(slot) !== this.valueOf(previousSlot)
          : old !== previousOld);
      if (startsGroup) bounds[groups++] = i;
      rank[slot] = groups - 1;
      previousSlot = slot;
      previousOld = old;
      previousInserted = inserted;
    }
    bounds[groups] = nonNull;
    this.bounds = bounds.slice(0, groups + 1);
    this.groups = groups;
    this.nonNull = nonNull;
  }
}

/**
 * Writes each slot's dense rank among the distinct values (NULL_RANK for null) into `rank`;
 * returns the number of distinct values. Numbers are ranked by binary search in a natively
 * sorted array, strings through a map: no comparator call per case.
 */
function rankValues(slots: Int32Array, valueOf: SortValueOf, rank: Int32Array): number {
  rank.fill(NULL_RANK);
  const values = Array.from(slots, valueOf);
  const first = values.find((value) => value !== null);
  if (first === undefined) return 0;
  if (typeof first === 'number') {
    const sorted = Float64Array.from(values.filter((v) => v !== null) as number[]).sort();
    let distinct = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i];
    }
    for (let i = 0; i < slots.length; i++) {
      const value = values[i];
      if (value !== null) rank[slots[i]] = lowerBound(sorted, distinct, value as number);
    }
    return distinct;
  }
  const sorted = [...new Set(values.filter((v) => v !== null) as string[])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const rankOf = new Map<string, number>();
  for (let g = 0; g < sorted.length; g++) rankOf.set(sorted[g], g);
  for (let i = 0; i < slots.length; i++) {
    const value = values[i];
    if (value !== null) rank[slots[i]] = rankOf.get(value as string)!;
  }
  return sorted.length;
}

function lowerBound(sorted: Float64Array, length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
