import type { Source, SupportCase } from '../cases/case.model.js';

/** One upstream record mapped to the case model, with the upstream's immutable identifier. */
export interface SourceRecord {
  case: SupportCase;
  /** Stable upstream id (JIRA issue id survives a key change when an issue moves project). */
  uid: string;
  /** The upstream's own due date (ISO UTC), when it has one; it wins over SLA_DAYS. */
  dueAt?: string | null;
}

export interface FetchPage {
  records: SourceRecord[];
  /** Total the upstream announced for the listing, when it tells. */
  total?: number;
}

/** One comment of a case, oldest first; `text` is plain text (markup removed). */
export interface TimelineEntry {
  at: string;
  author: string | null;
  text: string;
}

export interface FetchOptions {
  signal?: AbortSignal;
}

/**
 * The port every upstream adapter implements. Sync code loops over the registered list and
 * never names a source.
 */
export interface CaseSource {
  readonly name: Source;
  /**
   * Every case changed at or after `since` (all cases when null; the caller subtracts its overlap),
   * oldest change first, page by page. A listing with since = null is complete: what it does
   * not return does not exist upstream (within the configured scope).
   */
  fetchUpdatedSince(since: Date | null, options?: FetchOptions): AsyncIterable<FetchPage>;
  /** The cases with these keys that still exist upstream within scope (others are absent). */
  fetchByKeys(keys: string[], options?: FetchOptions): Promise<SourceRecord[]>;
  /** The case's comments (follow-ups), oldest first. */
  fetchTimeline(key: string, options?: FetchOptions): Promise<TimelineEntry[]>;
  /** Resolves when the upstream answers and accepts the credentials. */
  healthCheck(options?: FetchOptions): Promise<void>;
}

export const CASE_SOURCES = Symbol('CASE_SOURCES');
