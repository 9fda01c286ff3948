import { serializeStoredCase } from '../cases/case.model.js';
import type { CaseSource, SourceRecord } from '../sources/case-source.port.js';
import { ListingUnstableError } from './sync.errors.js';

const MAX_PASSES = 3;

/** A listed record with its serialized form (made here, while later pages are in flight). */
export interface ListedRecord extends SourceRecord {
  json: string;
}

export interface ListingProgress {
  fetched: number;
  total?: number;
}

/**
 * Lists everything changed since `since`, keyed by upstream uid (latest version wins).
 *
 * Offset paging over a list sorted by "last update" skips a record whenever an earlier record
 * moves to the end (it was edited) or vanishes while we page. Both are visible: the moved
 * record shows up twice in one pass with two timestamps, a vanished one shrinks the announced
 * total. Then a further pass starts from where the shift began, so nothing is lost.
 */
export async function listSince(
  source: CaseSource,
  since: Date | null,
  overlapMs: number,
  options: {
    signal?: AbortSignal;
    onProgress?: (progress: ListingProgress) => void;
    /** Called with each page's records as they arrive. */
    onPage?: (records: SourceRecord[]) => void;
  },
): Promise<Map<string, ListedRecord>> {
  const fetched = new Map<string, ListedRecord>();
  let passSince = since;
  for (let pass = 1; ; pass++) {
    const seenThisPass = new Map<string, string>();
    let shiftedFrom: number | null = null;
    let lastTotal: number | undefined;
    let restartWholePass = false;
    for await (const page of source.fetchUpdatedSince(passSince, { signal: options.signal })) {
      for (const record of page.records) {
        const updatedAt = record.case.updatedAt;
        const earlier = seenThisPass.get(record.uid);
        if (earlier !== undefined && earlier !== updatedAt) {
          const from = Date.parse(earlier < updatedAt ? earlier : updatedAt);
          shiftedFrom = shiftedFrom === null ? from : Math.min(shiftedFrom, from);
        }
        seenThisPass.set(record.uid, updatedAt);
        const kept = fetched.get(record.uid);
        if (!kept || kept.case.updatedAt <= updatedAt) {
          fetched.set(record.uid, {
            ...record,
            json: serializeStoredCase(record.case, record.dueAt),
          });
        }
      }
      options.onPage?.(page.records);
      if (page.total !== undefined) {
        if (lastTotal !== undefined && page.total < lastTotal) restartWholePass = true;
        lastTotal = page.total;
      }
      options.onProgress?.({ fetched: fetched.size, total: page.total });
    }
    if (shiftedFrom === null && !restartWholePass) return fetched;
    if (pass >= MAX_PASSES) throw new ListingUnstableError(source.name, pass);
    if (!restartWholePass && shiftedFrom !== null) {
      passSince = new Date(shiftedFrom - overlapMs);
      if (since && passSince < since) passSince = since;
    }
  }
}
