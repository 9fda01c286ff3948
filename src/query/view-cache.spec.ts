import type { SortKey } from './case-query.js';
import { ViewCache, type CachedView } from './view-cache.js';

const BY_UPDATED: SortKey[] = [{ field: 'updatedAt', dir: 'desc' }];
const view = (filtered: number, positions: number): CachedView => ({
  total: 1000,
  filtered,
  ordered: Int32Array.from({ length: positions }, (_, i) => i),
});

describe(ViewCache.name, () => {
  it('should key views by filter and sort, and keep none sorted by days open', () => {
    const cache = new ViewCache(4, 5000, 200);
    const key = cache.keyOf({ status: ['open'] }, BY_UPDATED);
    expect(key).toBe(cache.keyOf({ status: ['open'] }, BY_UPDATED));
    expect(key).not.toBe(cache.keyOf({ status: ['open'], allowedAccounts: ['ACME'] }, BY_UPDATED));
    expect(key).not.toBe(cache.keyOf({ status: ['open'] }, [{ field: 'updatedAt', dir: 'asc' }]));
    expect(cache.keyOf({}, [{ field: 'daysOpen', dir: 'asc' }])).toBeNull();
    expect(new ViewCache(0, 5000, 200).keyOf({}, BY_UPDATED)).toBeNull();
    expect(
      cache.keyOf({}, [
        { field: 'account', dir: 'asc' },
        { field: 'daysOpen', dir: 'desc' },
      ]),
    ).toBeNull();
  });

  it('should serve a page only when the cached positions cover it', () => {
    const cache = new ViewCache(4, 5000, 200);
    cache.set('a', view(1000, 200));
    expect(cache.get('a', 200)).toBeDefined();
    expect(cache.get('a', 201)).toBeUndefined();
    // A view with fewer matches than the page asks for is complete.
    cache.set('b', view(30, 30));
    expect(cache.get('b', 50)).toBeDefined();
    expect(cache.get('c', 50)).toBeUndefined();
  });

  it('should size windows past the page, doubling as paging goes deeper, never past the cap', () => {
    const cache = new ViewCache(4, 5000, 200);
    expect(cache.windowFor('a', 50, 10_000)).toBe(200);
    expect(cache.windowFor('a', 50, 120)).toBe(120);
    cache.set('a', view(10_000, 200));
    expect(cache.windowFor('a', 250, 10_000)).toBe(400);
    expect(cache.windowFor('a', 1_050, 10_000)).toBe(1_050);
    cache.set('a', view(10_000, 4_000));
    expect(cache.windowFor('a', 4_050, 10_000)).toBe(5_000);
    expect(cache.windowFor('a', 5_050, 10_000)).toBe(0);
  });

  it('should drop the least recently used view when full, and everything on clear', () => {
    const cache = new ViewCache(2, 5000, 200);
    cache.set('a', view(10, 10));
    cache.set('b', view(10, 10));
    cache.get('a', 10);
    cache.set('c', view(10, 10));
    expect(cache.get('b', 10)).toBeUndefined();
    expect(cache.get('a', 10)).toBeDefined();
    expect(cache.get('c', 10)).toBeDefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
