import type { CaseStatus, Severity, Source, SupportCase } from '../cases/case.model.js';

export const SORTABLE_FIELDS = [
  'source',
  'key',
  'severity',
  'title',
  'account',
  'status',
  'assignee',
  'product',
  'createdAt',
  'updatedAt',
  'daysOpen',
] as const;
export type SortableField = (typeof SORTABLE_FIELDS)[number];

/**
 * One sort key. Orders: severity by rank (urgent, high, normal, low: `asc` puts urgent first),
 * status by lifecycle (new, open, pending, solved, closed), source and other text
 * alphabetically (case- and accent-insensitive, digit runs by value: SUP-9 before SUP-10), dates
 * and daysOpen chronologically/numerically. Nulls come last in both directions; ties are broken
 * by id ascending, whatever the direction, so pages are stable.
 */
export interface SortKey {
  field: SortableField;
  dir: 'asc' | 'desc';
}

export interface CaseFilter {
  source?: Source[];
  status?: CaseStatus[];
  severity?: Severity[];
  /**
   * Exact values; '' matches cases with no account. Same for assignee and product. For these
   * lists and the three above, absent or empty means no restriction.
   */
  account?: string[];
  assignee?: string[];
  product?: string[];
  /** case-insensitive substring over key, title, account, assignee, requester, product, component, labels */
  q?: string;
  /** only open work: status new|open|pending */
  open?: boolean;
  /** updatedAt < this instant (ISO) */
  updatedBefore?: string;
  /** updatedAt ≥ this instant (ISO) */
  updatedAfter?: string;
  /** createdAt ≥ this instant (ISO); cases without createdAt never match */
  createdAfter?: string;
  /**
   * data-level restriction (partner role): only these accounts; [] means nothing. Unlike the
   * account filter, '' here never admits cases without an account.
   */
  allowedAccounts?: string[] | null;
}

/** A page of a filtered, sorted view; an empty `sort` orders by id. */
export interface CaseQuery {
  filter: CaseFilter;
  sort: SortKey[];
  offset: number;
  limit: number;
}

/** `items` are the index's own objects, shared between callers: never mutate them. */
export interface CaseQueryResult {
  /** Cases visible under `allowedAccounts` alone. */
  total: number;
  /** Cases matching every filter. */
  filtered: number;
  items: SupportCase[];
  /**
   * The index slot of each item: a key for per-case caches that is cheaper than the case
   * object itself (slots are reused after a removal, so check the case too).
   */
  slots: Int32Array;
}

export const FACET_FIELDS = ['account', 'assignee', 'product'] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

/** A value and how many cases have it; `value: null` is "no account" / unassigned / no product. */
export interface FacetCount {
  value: string | null;
  count: number;
}

/**
 * Counts per value, each under every filter except its own (so a selected value's siblings
 * keep their counts). The text facets list at most the top 50 values by count.
 */
export interface CaseFacets {
  source: Record<Source, number>;
  status: Record<CaseStatus, number>;
  severity: Record<Severity, number>;
  account: FacetCount[];
  assignee: FacetCount[];
  product: FacetCount[];
}

/** Raised for a filter the index cannot evaluate (an unparseable date bound). */
export class CaseQueryError extends Error {
  override readonly name = 'CaseQueryError';
}
