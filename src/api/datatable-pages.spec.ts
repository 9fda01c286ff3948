import type { SortKey } from '../query/case-query.js';
import { viewKey } from '../query/view-cache.js';
import { DataTablePages, type DataTablePage } from './datatable-pages.js';

const BY_UPDATED: SortKey[] = [{ field: 'updatedAt', dir: 'desc' }];

const aPage = (overrides: Partial<DataTablePage> = {}): DataTablePage => ({
  generation: 1,
  total: 10,
  filtered: 5,
  body: '{"key":"SUP-1"}]}',
  validFrom: 1_000,
  validUntil: 2_000,
  ...overrides,
});

describe(DataTablePages.name, () => {
  it('should key pages by view, scope and position, and keep none of a view that cannot be kept', () => {
    const pages = new DataTablePages();
    const view = viewKey({ status: ['open'] }, BY_UPDATED);
    const key = pages.keyOf(view, null, 0, 50);
    expect(key).toBe(pages.keyOf(viewKey({ status: ['open'] }, BY_UPDATED), null, 0, 50));
    for (const other of [
      pages.keyOf(view, ['ACME'], 0, 50),
      pages.keyOf(view, [], 0, 50),
      pages.keyOf(viewKey({ status: ['open'], account: ['ACME'] }, BY_UPDATED), null, 0, 50),
      pages.keyOf(viewKey({ status: ['open'] }, [{ field: 'updatedAt', dir: 'asc' }]), null, 0, 50),
      pages.keyOf(view, null, 50, 50),
      pages.keyOf(view, null, 0, 25),
    ]) {
      expect(other).not.toBeNull();
      expect(other).not.toBe(key);
    }
    expect(pages.keyOf(view, ['ACME', 'Globex'], 0, 50)).not.toBe(
      pages.keyOf(view, ['ACME'], 0, 50),
    );
    expect(pages.keyOf(viewKey({}, [{ field: 'daysOpen', dir: 'asc' }]), null, 0, 50)).toBeNull();
    expect(new DataTablePages(0).keyOf(view, null, 0, 50)).toBeNull();
  });

  it('should give a page back only at its generation and within the span it holds for', () => {
    const pages = new DataTablePages();
    const page = aPage();
    pages.set('a', page);
    expect(pages.get('a', 1, 1_000)).toBe(page);
    expect(pages.get('a', 1, 1_999)).toBe(page);
    expect(pages.get('b', 1, 1_500)).toBeUndefined();
    expect(pages.get('a', 2, 1_500)).toBeUndefined();
    // A stale page is dropped, not kept for later.
    expect(pages.get('a', 1, 1_500)).toBeUndefined();
    pages.set('a', page);
    expect(pages.get('a', 1, 2_000)).toBeUndefined();
    pages.set('a', page);
    expect(pages.get('a', 1, 999)).toBeUndefined();
  });

  it('should drop the least recently used pages past its size, counting keys and entries', () => {
    const body = 'x'.repeat(1_000);
    // Room for three entries of a one-letter key, a 1,000-character body and the entry cost.
    const pages = new DataTablePages(3 * (1 + 1_000 + 128));
    for (const key of ['a', 'b', 'c']) pages.set(key, aPage({ body }));
    expect(pages.get('a', 1, 1_500)).toBeDefined();
    pages.set('d', aPage({ body }));
    expect(pages.get('b', 1, 1_500)).toBeUndefined();
    for (const key of ['a', 'c', 'd']) expect(pages.get(key, 1, 1_500)).toBeDefined();
  });

  it('should free what a page took when another replaces it', () => {
    /** What a page with a one-letter key and a body of `length` characters takes. */
    const entry = (length: number) => 1 + length + 128;
    const pages = new DataTablePages(3 * entry(1_000));
    for (const key of ['a', 'b', 'c']) pages.set(key, aPage({ body: 'x'.repeat(1_000) }));
    pages.set('c', aPage({ body: 'y' }));
    // Exactly the room the smaller page left: nothing has to go.
    const room = entry(1_000) - entry(1);
    pages.set('d', aPage({ body: 'x'.repeat(room - entry(0)) }));
    for (const key of ['a', 'b', 'c', 'd']) expect(pages.get(key, 1, 1_500)).toBeDefined();
  });

  it('should keep no page larger than its whole size', () => {
    const pages = new DataTablePages(500);
    pages.set('small', aPage());
    pages.set('large', aPage({ body: 'x'.repeat(1_000) }));
    expect(pages.get('large', 1, 1_500)).toBeUndefined();
    expect(pages.get('small', 1, 1_500)).toBeDefined();
  });
});
