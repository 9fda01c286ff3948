import type { CaseFilter, SortKey } from './case-query.js';
import { setRecent, touchRecent } from '../common/recent-map.js';

/** The first matches of a view (filter and sort), in order, with its counts. */
export interface CachedView {
  total: number;
  filtered: number;
  /** Slots of the first `ordered.length` matches, in the view's order. */
  ordered: Int32Array;
}

/**
 * The key of a view (filter and sort) for what is kept of it, or null when its order depends on
 * the time of asking (days open grows for open cases) and so cannot be kept.
 */
export function viewKey(filter: CaseFilter, sort: readonly SortKey[]): string | null {
  for (const key of sort) if (key.field === 'daysOpen') return null;
  return JSON.stringify([filter, sort]);
}

/**
 * Recent views' first matches in order, as Solr's queryResultCache keeps ordered document ids
 * per query and sort: paging through a table, reloading it or sharing its URL asks for the
 * same view again and again, and each later page is then a slice instead of a filter and a
 * sort over every case. Entries hold at most `maxWindow` slots; the index clears the cache on
 * every change, so an entry is never older than the data.
 */
export class ViewCache {
  private readonly views = new Map<string, CachedView>();

  constructor(
    private readonly maxViews: number,
    private readonly maxWindow: number,
    private readonly minWindow: number,
  ) {}

  /**
   * The key of a view, or null when the cache is off or the view's order depends on the time
   * of asking (days open grows for open cases) and so cannot be kept.
   */
  keyOf(filter: CaseFilter, sort: readonly SortKey[]): string | null {
    return this.maxViews === 0 ? null : viewKey(filter, sort);
  }

  /** The cached view when it holds positions up to `end` (or all its matches). */
  get(key: string, end: number): CachedView | undefined {
    const view = this.views.get(key);
    if (view === undefined || Math.min(end, view.filtered) > view.ordered.length) return undefined;
    touchRecent(this.views, key, view);
    return view;
  }

  /**
   * How many positions to order when a view must be worked out for a page ending at `end`:
   * a window past the page, so the next pages are slices too; 0 when the page lies deeper
   * than the cache keeps.
   */
  windowFor(key: string, end: number, filtered: number): number {
    if (end > this.maxWindow) return 0;
    const previous = this.views.get(key)?.ordered.length ?? 0;
    return Math.min(filtered, this.maxWindow, Math.max(end, this.minWindow, 2 * previous));
  }

  set(key: string, view: CachedView): void {
    setRecent(this.views, key, view, this.maxViews);
  }

  clear(): void {
    this.views.clear();
  }

  get size(): number {
    return this.views.size;
  }
}
