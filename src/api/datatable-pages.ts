import { touchRecent } from '../common/recent-map.js';

/** A DataTables page as last sent, and what it holds for. */
export interface DataTablePage {
  /** The index generation it was worked out from. */
  generation: number;
  total: number;
  filtered: number;
  /** The rows, comma-separated, then the closing `]}`: flat ASCII text, written as is. */
  body: string;
  /** The span its rows' days open and SLA states hold for: [validFrom, validUntil). */
  validFrom: number;
  validUntil: number;
}

// About 500 pages of 50 rows.
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
// What an entry costs besides its key and body (objects, map slot), roughly.
const ENTRY_BYTES = 128;

/**
 * The DataTables pages last sent, by view (filter, account scope and sort) and position: paging
 * back, reloading, and several people on the same view ask for the same page again and again,
 * and a kept page is one flat text instead of fifty rows gathered from all over the heap. A page
 * holds while the index is at the generation it came from and until the first instant one of
 * its rows' days open or SLA state changes. Bounded by bytes, least recently used first out.
 */
export class DataTablePages {
  private readonly pages = new Map<string, DataTablePage>();
  private bytes = 0;

  constructor(private readonly maxBytes = DEFAULT_MAX_BYTES) {}

  /**
   * The key of a page of a view (its viewKey: null when its order depends on the time of asking,
   * as for days open) within the account `scope` (null: all accounts), or null when the page is
   * not to be kept.
   */
  keyOf(
    view: string | null,
    scope: readonly string[] | null,
    offset: number,
    limit: number,
  ): string | null {
    if (view === null || this.maxBytes === 0) return null;
    return `${offset}:${limit}:${scope === null ? '*' : JSON.stringify(scope)}:${view}`;
  }

  /** The kept page if it still holds at `generation` and `nowMs`. */
  get(key: string, generation: number, nowMs: number): DataTablePage | undefined {
    const page = this.pages.get(key);
    if (page === undefined) return undefined;
    if (page.generation !== generation || nowMs < page.validFrom || nowMs >= page.validUntil) {
      this.delete(key, page);
      return undefined;
    }
    touchRecent(this.pages, key, page);
    return page;
  }

  set(key: string, page: DataTablePage): void {
    const old = this.pages.get(key);
    if (old !== undefined) this.delete(key, old);
    const size = sizeOf(key, page);
    if (size > this.maxBytes) return;
    while (this.bytes + size > this.maxBytes) {
      const [oldestKey, oldest] = this.pages.entries().next().value!;
      this.delete(oldestKey, oldest);
    }
    this.pages.set(key, page);
    this.bytes += size;
  }

  private delete(key: string, page: DataTablePage): void {
    this.pages.delete(key);
    this.bytes -= sizeOf(key, page);
  }
}

// Many small pages (empty views) are bounded too: keys and entries count.
function sizeOf(key: string, page: DataTablePage): number {
  return key.length + page.body.length + ENTRY_BYTES;
}
