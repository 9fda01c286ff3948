import { Inject, Injectable, Logger } from '@nestjs/common';
import { serializeStoredCase, type Source, type SupportCase } from '../cases/case.model.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CASE_SOURCES, type CaseSource } from '../sources/case-source.port.js';
import { VocabularyMonitor } from '../sources/vocabulary.monitor.js';
import { CaseStore, type StoredCase, type Upsert } from '../store/case.store.js';
import type { SyncSummary } from '../store/sync-status.js';
import { listSince, type ListedRecord } from './sync-listing.js';
import { UnknownSourceError } from './sync.errors.js';

export type SyncMode = 'incremental' | 'full';

export interface SyncProgress {
  source: Source;
  phase: 'listing' | 'verifying' | 'applying' | 'done';
  fetched: number;
  total?: number;
}

export interface SyncRunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}

/** Keeps Node from reporting a lookup's failure before the run awaits it. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * One sync run of one source: list what changed, compare with what is stored, apply the
 * difference in one transaction. Nothing is written before the listing has fully succeeded,
 * so a failed or interrupted run leaves data and cursor exactly as they were.
 */
@Injectable()
export class SyncService {
  private readonly logger = new Logger(SyncService.name);
  private readonly byName: Map<Source, CaseSource>;

  constructor(
    @Inject(CASE_SOURCES) sources: CaseSource[],
    private readonly store: CaseStore,
    private readonly vocabulary: VocabularyMonitor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.byName = new Map(sources.map((s) => [s.name, s]));
  }

  get enabledSources(): Source[] {
    return [...this.byName.keys()];
  }

  source(name: string): CaseSource {
    const source = this.byName.get(name as Source);
    if (!source) throw new UnknownSourceError(name, this.enabledSources);
    return source;
  }

  async run(name: Source, mode: SyncMode, options: SyncRunOptions = {}): Promise<SyncSummary> {
    const source = this.source(name);
    const started = new Date();
    const startedMs = performance.now();
    const unknownBefore = this.vocabulary.countFor(name);
    const progress = (p: Omit<SyncProgress, 'source'>) =>
      options.onProgress?.({ source: name, ...p });
    try {
      const cursor = mode === 'full' ? null : await this.store.getCursor(name);
      const overlapMs = this.config.sync.overlapSeconds * 1000;
      const since = cursor ? new Date(cursor.getTime() - overlapMs) : null;
      // What is stored for each page is read while later pages are still being listed.
      const lookups: Promise<Map<string, StoredCase>>[] = [];
      const fetched = await listSince(source, since, overlapMs, {
        signal: options.signal,
        onProgress: (p) => progress({ phase: 'listing', ...p }),
        onPage: (page) => lookups.push(handled(this.store.getStored(page.map((r) => r.case.id)))),
      });
      const listedAt = performance.now();
      const records = [...fetched.values()];
      progress({ phase: 'verifying', fetched: records.length });
      const removals = await this.keyMoves(name, records);
      if (mode === 'full') removals.push(...(await this.vanished(source, records, options.signal)));
      progress({ phase: 'applying', fetched: records.length });

      const stored = new Map<string, StoredCase>();
      for (const part of await Promise.all(lookups)) for (const [id, c] of part) stored.set(id, c);
      const unread = records.filter((r) => !stored.has(r.case.id)).map((r) => r.case.id);
      for (const [id, c] of await this.store.getStored(unread)) stored.set(id, c);
      const upserts: Upsert[] = [];
      let created = 0;
      let unchanged = 0;
      for (const record of records) {
        const prev = stored.get(record.case.id);
        const json = record.json;
        if (prev?.json === json) {
          unchanged++;
          continue;
        }
        if (!prev) created++;
        upserts.push({ next: record.case, prev: prev?.value ?? null, uid: record.uid, json });
      }
      const newest = records.reduce<string | null>(
        (max, r) => (max === null || r.case.updatedAt > max ? r.case.updatedAt : max),
        null,
      );
      const nextCursor =
        newest && (!cursor || Date.parse(newest) > cursor.getTime()) ? new Date(newest) : null;
      const finished = new Date();
      const summary: SyncSummary = {
        source: name,
        mode,
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs: finished.getTime() - started.getTime(),
        fetched: records.length,
        created,
        updated: upserts.length - created,
        unchanged,
        removed: removals.length,
        cursor: (nextCursor ?? cursor)?.toISOString() ?? null,
        unknownValues: this.vocabulary.countFor(name) - unknownBefore,
      };
      options.signal?.throwIfAborted();
      const applyStarted = performance.now();
      await this.store.apply({ source: name, upserts, removals, cursor: nextCursor, summary });
      progress({ phase: 'done', fetched: records.length });
      this.logger.log(
        `${name} ${mode} sync: fetched ${summary.fetched}, created ${created}, updated ${summary.updated}, unchanged ${unchanged}, removed ${summary.removed} in ${summary.durationMs} ms (listing ${Math.round(listedAt - startedMs)} ms, comparing ${Math.round(applyStarted - listedAt)} ms, applying ${Math.round(performance.now() - applyStarted)} ms)`,
      );
      return summary;
    } catch (error) {
      // Whatever an aborted request threw, the cause is the abort: not an upstream failure.
      if (options.signal?.aborted) throw options.signal.reason;
      const message = error instanceof Error ? error.message : String(error);
      await this.store.recordFailure(name, new Date(), message).catch((e: unknown) => {
        this.logger.error(`could not record the failure of ${name}: ${String(e)}`);
      });
      throw error;
    }
  }

  /** A JIRA issue that moved project keeps its id but changes key: drop the old key's case. */
  private async keyMoves(name: Source, records: ListedRecord[]): Promise<SupportCase[]> {
    const movable = records.filter((r) => r.uid !== r.case.key);
    if (movable.length === 0) return [];
    const known = await this.store.caseIdsForUids(
      name,
      movable.map((r) => r.uid),
    );
    const oldIds = movable.flatMap((r) => {
      const oldId = known.get(r.uid);
      return oldId && oldId !== r.case.id ? [oldId] : [];
    });
    const listed = new Set(records.map((r) => r.case.id));
    const stored = await this.store.getStored(oldIds.filter((id) => !listed.has(id)));
    return [...stored.values()].map((s) => s.value);
  }

  /**
   * Stored cases a complete listing did not return. Each is asked for by key before it is
   * deleted, so a record that a shifting page skipped is kept (and refreshed), not removed.
   */
  private async vanished(
    source: CaseSource,
    records: ListedRecord[],
    signal?: AbortSignal,
  ): Promise<SupportCase[]> {
    const listed = new Set(records.map((r) => r.case.id));
    const missing = (await this.store.ids(source.name)).filter((id) => !listed.has(id));
    if (missing.length === 0) return [];
    const stored = await this.store.getStored(missing);
    const keys = [...stored.values()].map((s) => s.value.key);
    const stillThere = await source.fetchByKeys(keys, { signal });
    for (const record of stillThere) {
      if (!listed.has(record.case.id)) {
        records.push({ ...record, json: serializeStoredCase(record.case, record.dueAt) });
        listed.add(record.case.id);
      }
    }
    return [...stored.values()].map((s) => s.value).filter((c) => !listed.has(c.id));
  }
}
