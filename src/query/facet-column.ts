import { setBit, type Bitset } from './bitset.js';
import { collationKey } from './collation.js';
import type { FacetCount } from './case-query.js';

const NULL_VALUE = 0;
// A local binding: see bitset.ts.
const { clz32 } = Math;

/**
 * One single-valued text field (account, assignee, product) of every slot: values are interned
 * to small ids (null is id 0), and each value keeps the list of slots holding it. A slot also
 * remembers where it sits in its list, so moving a case to another value is O(1).
 */
export class FacetColumn {
  private readonly idByValue = new Map<string | null, number>([[null, NULL_VALUE]]);
  private readonly valueList: (string | null)[] = [null];
  private readonly sortKeyList: (string | null)[] = [null];
  private postings: Int32Array[] = [new Int32Array(8)];
  private counts: number[] = [0];
  private valueOfSlot: Int32Array;
  private positionOfSlot: Int32Array;

  constructor(capacity: number) {
    this.valueOfSlot = new Int32Array(capacity).fill(-1);
    this.positionOfSlot = new Int32Array(capacity);
  }

  grow(capacity: number): void {
    const values = new Int32Array(capacity).fill(-1);
    values.set(this.valueOfSlot);
    const positions = new Int32Array(capacity);
    positions.set(this.positionOfSlot);
    this.valueOfSlot = values;
    this.positionOfSlot = positions;
  }

  /** Puts `slot` under `value` ('' counts as null); returns whether its value changed. */
  set(slot: number, value: string | null): boolean {
    const id = this.intern(value === '' ? null : value);
    const current = this.valueOfSlot[slot];
    if (current === id) return false;
    if (current >= 0) this.clear(slot);
    let list = this.postings[id];
    const count = this.counts[id];
    if (count === list.length) {
      const longer = new Int32Array(list.length * 2);
      longer.set(list);
      this.postings[id] = list = longer;
    }
    list[count] = slot;
    this.positionOfSlot[slot] = count;
    this.counts[id] = count + 1;
    this.valueOfSlot[slot] = id;
    return true;
  }

  clear(slot: number): void {
    const id = this.valueOfSlot[slot];
    if (id < 0) return;
    const list = this.postings[id];
    const last = --this.counts[id];
    const position = this.positionOfSlot[slot];
    const moved = list[last];
    list[position] = moved;
    this.positionOfSlot[moved] = position;
    this.valueOfSlot[slot] = -1;
  }

  /** The value id of `slot` (-1 for an empty slot). */
  idAt(slot: number): number {
    return this.valueOfSlot[slot];
  }

  /** The id of a value, or undefined when no case ever had it; '' stands for null. */
  idOf(value: string): number | undefined {
    return this.idByValue.get(value === '' ? null : value);
  }

  value(id: number): string | null {
    return this.valueList[id];
  }

  /** The collation key of a value, for sorting (null for the null value). */
  sortKey(id: number): string | null {
    return this.sortKeyList[id];
  }

  /** The collation key of the value `slot` holds. */
  sortKeyAt(slot: number): string | null {
    return this.sortKeyList[this.valueOfSlot[slot]];
  }

  /** Orders value ids by collation key, then by the exact text; null last. */
  compareIds(a: number, b: number): number {
    const ka = this.sortKeyList[a];
    const kb = this.sortKeyList[b];
    if (ka !== kb) {
      if (ka === null) return 1;
      if (kb === null) return -1;
      return ka < kb ? -1 : 1;
    }
    const va = this.valueList[a] ?? '';
    const vb = this.valueList[b] ?? '';
    return va === vb ? 0 : va < vb ? -1 : 1;
  }

  count(id: number): number {
    return this.counts[id];
  }

  /** Number of interned values, including null and values no slot holds any longer. */
  get size(): number {
    return this.valueList.length;
  }

  /** Per value id, how many of the slots in `mask` hold it. */
  countIn(mask: Bitset): Int32Array {
    const counts = new Int32Array(this.valueList.length);
    const valueOfSlot = this.valueOfSlot;
    for (let w = 0; w < mask.length; w++) {
      let word = mask[w];
      while (word !== 0) {
        const lowest = word & -word;
        counts[valueOfSlot[(w << 5) + 31 - clz32(lowest)]]++;
        word ^= lowest;
      }
    }
    return counts;
  }

  /**
   * The `limit` values most held among the slots in `mask`, most first (ties in sort order),
   * with their counts; null counts as a value.
   */
  topValues(mask: Bitset, limit: number): FacetCount[] {
    const counts = this.countIn(mask);
    const ids: number[] = [];
    for (let id = 0; id < this.size; id++) if (counts[id] > 0) ids.push(id);
    ids.sort((a, b) => counts[b] - counts[a] || this.compareIds(a, b));
    return ids.slice(0, limit).map((id) => ({ value: this.value(id), count: counts[id] }));
  }

  /** Sets the bits of every slot holding value `id`. */
  addSlotsTo(bits: Bitset, id: number): void {
    const list = this.postings[id];
    const count = this.counts[id];
    for (let i = 0; i < count; i++) setBit(bits, list[i]);
  }

  private intern(value: string | null): number {
    let id = this.idByValue.get(value);
    if (id === undefined) {
      id = this.valueList.length;
      this.idByValue.set(value, id);
      this.valueList.push(value);
      this.sortKeyList.push(value === null ? null : collationKey(value));
      this.postings.push(new Int32Array(8));
      this.counts.push(0);
    }
    return id;
  }
}
