import type { Bitset } from './bitset.js';
import { NULL_RANK, type SortOrder } from './sort-order.js';
import { smallestK, smallestNumbers, type SlotComparator } from './top-k.js';

const EMPTY = new Int32Array(0);

/** Orders slots by per-slot ranks (NULL_RANK last whatever the direction), then by id. */
export function rankComparator(
  ranks: Int32Array[],
  signs: number[],
  idRank: Int32Array,
): SlotComparator {
  const count = ranks.length;
  return (a, b) => {
    for (let i = 0; i < count; i++) {
      const ra = ranks[i][a];
      const rb = ranks[i][b];
      if (ra !== rb) {
        if (ra === NULL_RANK) return 1;
        if (rb === NULL_RANK) return -1;
        return ra < rb ? -signs[i] : signs[i];
      }
    }
    return idRank[a] - idRank[b];
  };
}

/**
 * Positions [start, end) of the matching slots in `order`, walked group by group (descending
 * walks the groups backwards but each group forwards, so ties stay in id order and nulls stay
 * last). With `rest`, each group's matches are ordered by the remaining keys.
 */
export function walkPage(
  order: SortOrder,
  desc: boolean,
  match: Bitset,
  start: number,
  end: number,
  rest: SlotComparator | null,
): Int32Array {
  const page = new Int32Array(end - start);
  const { order: slots, bounds, groups, nonNull } = order;
  let seen = 0;
  let filled = 0;
  let scratch = EMPTY;
  for (let k = 0; k <= groups && seen < end; k++) {
    let from = nonNull;
    let to = slots.length;
    if (k < groups) {
      const group = desc ? groups - 1 - k : k;
      from = bounds[group];
      to = bounds[group + 1];
    }
    if (rest === null || to - from === 1) {
      for (let i = from; i < to; i++) {
        const slot = slots[i];
        if ((match[slot >>> 5] & (1 << (slot & 31))) !== 0) {
          if (seen >= start) page[filled++] = slot;
          if (++seen === end) break;
        }
      }
      continue;
    }
    if (scratch.length < to - from) scratch = new Int32Array(to - from);
    let hits = 0;
    for (let i = from; i < to; i++) {
      const slot = slots[i];
      if ((match[slot >>> 5] & (1 << (slot & 31))) !== 0) scratch[hits++] = slot;
    }
    if (seen + hits > start) {
      const need = Math.min(hits, end - seen);
      const best = smallestK(scratch.subarray(0, hits), need, rest);
      for (let j = Math.max(0, start - seen); j < need; j++) page[filled++] = best[j];
    }
    seen += hits;
  }
  return page;
}

/**
 * The first `k` of `slots` by one kept order (nulls last, ties by id), or null when the keys
 * would not fit a double. Each slot becomes one number, group · 2^b + id rank, so the heap or
 * the native sort compares plain numbers: several times faster than a comparator call each.
 */
export function smallestByOrder(
  slots: Int32Array,
  order: SortOrder,
  desc: boolean,
  idOrder: SortOrder,
  k: number,
  scratch: Float64Array = new Float64Array(slots.length),
): Int32Array | null {
  let scale = 1;
  while (scale < idOrder.groups) scale *= 2;
  const nullGroup = order.groups;
  if ((nullGroup + 1) * scale > Number.MAX_SAFE_INTEGER) return null;
  const { rank } = order;
  const idRank = idOrder.rank;
  const keys = scratch.subarray(0, slots.length);
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i];
    const group = rank[slot];
    const position = group === NULL_RANK ? nullGroup : desc ? nullGroup - 1 - group : group;
    keys[i] = position * scale + idRank[slot];
  }
  const best = smallestNumbers(keys, k);
  const bySlot = idOrder.order;
  const page = new Int32Array(best.length);
  for (let i = 0; i < best.length; i++) page[i] = bySlot[best[i] % scale];
  return page;
}
