/**
 * An array kept sorted by a total order. Records must be removed *before* their sort key changes
 * and re-inserted after, which is how the simulators move a touched record to the end.
 */
export class SortedIndex<T> {
  private readonly items: T[];
  /** Bumped on every change; query caches compare it to know when they are stale. */
  version = 0;

  constructor(
    private readonly compare: (a: T, b: T) => number,
    items: T[] = [],
  ) {
    this.items = items.slice().sort(compare);
  }

  get size(): number {
    return this.items.length;
  }

  /** Live read-only view, in index order. */
  get view(): readonly T[] {
    return this.items;
  }

  at(index: number): T {
    return this.items[index];
  }

  insert(item: T): void {
    this.items.splice(
      this.upperBound((x) => this.compare(x, item) <= 0),
      0,
      item,
    );
    this.version++;
  }

  remove(item: T): boolean {
    let i = this.lowerBound((x) => this.compare(x, item) >= 0);
    for (; i < this.items.length && this.compare(this.items[i], item) === 0; i++) {
      if (this.items[i] === item) {
        this.items.splice(i, 1);
        this.version++;
        return true;
      }
    }
    return false;
  }

  /** First index whose item satisfies `atOrAfter` (a predicate monotone over the order). */
  lowerBound(atOrAfter: (item: T) => boolean): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (atOrAfter(this.items[mid])) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** First index whose item does not satisfy `before` (monotone: true then false). */
  upperBound(before: (item: T) => boolean): number {
    return this.lowerBound((x) => !before(x));
  }

  slice(start: number, end?: number): T[] {
    return this.items.slice(start, end);
  }
}

/**
 * Caches whole filtered+sorted result lists per query signature, valid for one index version.
 * Paging through a listing then costs O(page) per request after the first.
 */
export class QueryCache<T> {
  private readonly entries = new Map<string, { version: number; items: readonly T[] }>();

  constructor(private readonly capacity = 16) {}

  get(signature: string, version: number, compute: () => readonly T[]): readonly T[] {
    const hit = this.entries.get(signature);
    if (hit && hit.version === version) {
      this.entries.delete(signature);
      this.entries.set(signature, hit);
      return hit.items;
    }
    const items = compute();
    this.entries.delete(signature);
    this.entries.set(signature, { version, items });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return items;
  }
}
