import type { Bitset } from './bitset.js';
import { NULL_RANK, type SortOrder } from './sort-order.js';
import { smallestK, type SlotComparator } from './top-k.js';

const { clz32 } = Math;

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
 * last). With `rest`, each group's matches are ordered by the remaining keys. With
 * `groupMatches` (the matches in each group, when they are known), groups are skipped whole.
 */
export function walkPage(
  order: SortOrder,
  desc: boolean,
  match: Bitset,
  start: number,
  end: number,
  rest: SlotComparator | null,
  groupMatches: Int32Array | null = null,
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
      if (groupMatches !== null) {
        // Known counts: a group before the page, or without a match, is passed unread.
        const hits = groupMatches[group];
        if (hits === 0 || seen + hits <= start) {
          seen += hits;
          continue;
        }
      }
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
 * Positions [start, end) of the matching slots in one kept order (nulls last, ties in id
 * order), for matches too sparse to walk to: each match's position in the order is marked in
 * `marks` (a cleared bitset with a bit per position), then the marks are read in order until
 * the page is full. O(matches + n/32) word operations, where sorting the matches costs
 * O(m log m) comparisons.
 */
export function pageByPositions(
  order: SortOrder,
  desc: boolean,
  match: Bitset,
  start: number,
  end: number,
  marks: Bitset,
): Int32Array {
  const positions = order.positions;
  for (let w = 0; w < match.length; w++) {
    let word = match[w] | 0;
    while (word !== 0) {
      const low = word & -word;
      const position = positions[(w << 5) | (31 - clz32(low))];
      marks[position >>> 5] |= 1 << (position & 31);
      word ^= low;
    }
  }
  const page = new Int32Array(end - start);
  const slots = order.order;
  let seen = 0;
  let filled = 0;
  /** Reads the marks in [from, to) upwards; false once the page is full. */
  const upwards = (from: number, to: number): boolean => {
    for (let w = from >>> 5; w <= (to - 1) >>> 5 && from < to; w++) {
      let word = marks[w] | 0;
      while (word !== 0) {
        const low = word & -word;
        const position = (w << 5) | (31 - clz32(low));
        word ^= low;
        if (position < from) continue;
        if (position >= to) return true;
        if (seen >= start) page[filled++] = slots[position];
        if (++seen === end) return false;
      }
    }
    return true;
  };
  if (!desc) {
    upwards(0, slots.length);
    return page;
  }
  // Descending: the groups backwards, each group's ties forwards (id order), nulls last. Two
  // marks are in one group when no group starts between them: read from a bitset in position
  // order rather than from each slot's rank, which is a random read per match.
  const { nonNull } = order;
  const starts = order.groupStarts;
  let tie: Int32Array<ArrayBuffer> = new Int32Array(16);
  let ties = 0;
  let above = -1;
  const flush = (): boolean => {
    for (let i = ties - 1; i >= 0; i--) {
      if (seen >= start) page[filled++] = slots[tie[i]];
      if (++seen === end) return false;
    }
    ties = 0;
    return true;
  };
  for (let w = (nonNull - 1) >> 5; w >= 0; w--) {
    let word = marks[w] | 0;
    if (w === (nonNull - 1) >> 5 && (nonNull & 31) !== 0) word &= (1 << (nonNull & 31)) - 1;
    while (word !== 0) {
      const bit = 31 - clz32(word);
      word ^= 1 << bit;
      const position = (w << 5) | bit;
      if (above === -1 || anyBitIn(starts, position + 1, above)) {
        if (!flush()) return page;
      }
      above = position;
      if (ties === tie.length) tie = growInt32(tie);
      tie[ties++] = position;
    }
  }
  if (flush()) upwards(nonNull, slots.length);
  return page;
}

/** Whether any bit in positions [from, to] is set (false when from > to). */
function anyBitIn(bits: Bitset, from: number, to: number): boolean {
  if (from > to) return false;
  const first = from >>> 5;
  const last = to >>> 5;
  const low = -1 << (from & 31);
  const high = -1 >>> (31 - (to & 31));
  if (first === last) return (bits[first] & low & high) !== 0;
  if ((bits[first] & low) !== 0) return true;
  for (let w = first + 1; w < last; w++) if (bits[w] !== 0) return true;
  return (bits[last] & high) !== 0;
}

function growInt32(array: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}

/**
 * About how many slots walkPage reads for [start, end) when each group's matches are known:
 * nothing for the groups it skips, the share of a group up to the page's end (matches spread
 * evenly) or, with more sort keys, all of it plus its matches for the heap.
 */
export function groupWalkCost(
  order: SortOrder,
  groupMatches: Int32Array,
  desc: boolean,
  start: number,
  end: number,
  withRest: boolean,
): number {
  const { bounds, groups } = order;
  let seen = 0;
  let cost = 0;
  for (let k = 0; k < groups && seen < end; k++) {
    const group = desc ? groups - 1 - k : k;
    const hits = groupMatches[group];
    if (hits === 0 || seen + hits <= start) {
      seen += hits;
      continue;
    }
    const size = bounds[group + 1] - bounds[group];
    cost += withRest ? size + hits : (size * Math.min(hits, end - seen)) / hits;
    seen += hits;
  }
  return cost;
}
