import type { SupportCase } from '../cases/case.model.js';
import { setRecent, touchRecent } from '../common/recent-map.js';
import {
  andInto,
  clearBit,
  grownBitset,
  hasBit,
  popcount,
  retainBits,
  setBit,
  type Bitset,
} from './bitset.js';

const CACHED_SEARCHES = 32;

interface CachedSearch {
  bits: Bitset;
  count: number;
}

/**
 * The `q` filter: a case matches when one of its searchable fields, lower-cased, contains the
 * trimmed, lower-cased needle (the fields are joined by newlines, so a needle without one never
 * spans two of them).
 *
 * A search over every case is cached (typing "acm", "acme" and paging through the result
 * reuse it) and narrows later searches that contain it; a search among few candidates only
 * tests those. Cached results are kept current by `refresh` after each change batch.
 */
export class TextSearch {
  private haystacks: string[] = [];
  // Least recently used first.
  private readonly searches = new Map<string, CachedSearch>();

  constructor(private readonly cachedSearches = CACHED_SEARCHES) {}

  set(slot: number, c: SupportCase): void {
    this.haystacks[slot] = haystackOf(c);
  }

  remove(slot: number): void {
    this.haystacks[slot] = '';
  }

  /** Forgets every case and every cached search. */
  reset(): void {
    this.haystacks = [];
    this.searches.clear();
  }

  /** Drops every cached search (the cases stay). */
  forgetSearches(): void {
    this.searches.clear();
  }

  /** Makes room in the cached searches for `capacity` slots. */
  grow(capacity: number): void {
    for (const search of this.searches.values()) search.bits = grownBitset(search.bits, capacity);
  }

  /**
   * Clears from `mask` the slots whose case does not contain `q`. `live` holds every case's
   * slot and `count` is their number: a search that is cached covers all of them.
   */
  narrow(mask: Bitset, q: string | undefined, live: Bitset, count: number): void {
    const needle = q?.trim().toLowerCase() ?? '';
    if (needle === '') return;
    const cached = this.searches.get(needle);
    if (cached) {
      touchRecent(this.searches, needle, cached);
      andInto(mask, cached.bits);
      return;
    }
    const haystacks = this.haystacks;
    const matches = (slot: number) => haystacks[slot].includes(needle);
    let narrowest: CachedSearch | undefined;
    for (const [earlier, search] of this.searches) {
      if (needle.includes(earlier) && search.count < (narrowest?.count ?? Infinity)) {
        narrowest = search;
      }
    }
    const candidates = popcount(mask);
    if (candidates * 16 <= count && candidates <= (narrowest?.count ?? Infinity)) {
      retainBits(mask, matches);
      return;
    }
    const bits = (narrowest?.bits ?? live).slice();
    retainBits(bits, matches);
    setRecent(this.searches, needle, { bits, count: popcount(bits) }, this.cachedSearches);
    andInto(mask, bits);
  }

  /** Brings the cached searches up to date for the slots a change batch touched. */
  refresh(touched: ReadonlySet<number> | readonly number[], live: Bitset): void {
    for (const [needle, search] of this.searches) {
      for (const slot of touched) {
        if (hasBit(live, slot) && this.haystacks[slot].includes(needle)) {
          setBit(search.bits, slot);
        } else {
          clearBit(search.bits, slot);
        }
      }
      search.count = popcount(search.bits);
    }
  }
}

function haystackOf(c: SupportCase): string {
  return [c.key, c.title, c.account, c.assignee, c.requester, c.product, c.component, ...c.labels]
    .filter((part): part is string => part !== null && part !== '')
    .join('\n')
    .toLowerCase();
}
