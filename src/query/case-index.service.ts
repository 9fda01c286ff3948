import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { setImmediate } from 'node:timers/promises';
import { caseId, type SupportCase } from '../cases/case.model.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CaseStore } from '../store/case.store.js';
import { CaseIndex } from './case-index.js';
import { CaseInterner } from './case-interner.js';

/** What the index reads from the store. */
export type CaseFeed = Pick<CaseStore, 'scan' | 'getCases' | 'changedSince'>;

export const DEFAULT_INDEX_REFRESH_MS = 1000;
const FETCH_CHUNK = 500;

/**
 * Keeps the web process's CaseIndex in step with Redis: one full load, then every `refreshMs`
 * the ids the change feed reports since the version held. Redis stays the only shared state;
 * on a Redis error the index keeps serving what it has and the next tick tries again.
 */
@Injectable()
export class CaseIndexService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly index: CaseIndex;
  private readonly interner = new CaseInterner();
  /** Resolves after the first full load; loading retries until it succeeds, so never rejects. */
  readonly ready: Promise<void>;
  private readonly logger = new Logger(CaseIndexService.name);
  private markReady: () => void = () => undefined;
  private hasLoaded = false;
  private storeVersion = 0;
  private interval: number;
  private timer: NodeJS.Timeout | undefined;
  private dueAt = 0;
  private stopped = false;
  /** The last refresh queued: each one starts after the previous settles, so none overlap. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    @Inject(CaseStore) private readonly store: CaseFeed,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'redis' | 'web'>,
  ) {
    this.index = new CaseIndex({ cachedViews: config.web?.indexViewCache });
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.interval = config.web?.indexRefreshMs ?? DEFAULT_INDEX_REFRESH_MS;
  }

  /** The store version the index reflects (everything written up to it is in). */
  get version(): number {
    return this.storeVersion;
  }

  /** Whether the first load is done: for a readiness check that must not wait on `ready`. */
  get loaded(): boolean {
    return this.hasLoaded;
  }

  get refreshMs(): number {
    return this.interval;
  }

  /** Takes effect at once when that brings the next refresh closer; never postpones it. */
  set refreshMs(ms: number) {
    this.interval = ms;
    if (this.timer && Date.now() + ms < this.dueAt) this.schedule(ms);
  }

  /** Loads in the background: the app serves (health, login) meanwhile; callers await `ready`. */
  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.tail;
  }

  /** The full load if it has not succeeded yet, else one refresh; queued behind any running. */
  refreshNow(): Promise<void> {
    const run = this.tail.then(() => (this.hasLoaded ? this.refresh() : this.load()));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    this.dueAt = Date.now() + delayMs;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    try {
      await this.refreshNow();
    } catch (error) {
      const what = this.hasLoaded
        ? `refresh failed, still serving store version ${this.storeVersion}`
        : 'initial load failed, retrying';
      this.logger.error(`Case index ${what}: ${(error as Error).message}`);
    }
    this.schedule(this.interval);
  }

  private async load(): Promise<void> {
    const started = Date.now();
    // The version is read before the scan: whatever is written during the scan has a later
    // version, so the first refresh fetches it again (applying a case twice is harmless),
    // while reading it after the scan could skip a write that the scan missed.
    const { version } = await this.store.changedSince(Number.MAX_SAFE_INTEGER);
    const cases: SupportCase[] = [];
    for await (const batch of this.store.scan()) {
      if (this.stopped) return;
      for (const c of batch) cases.push(this.interner.intern(c));
    }
    this.index.replaceAll(cases);
    await this.prepareOrders();
    this.storeVersion = version;
    this.hasLoaded = true;
    this.markReady();
    this.logger.log(
      `Indexed ${cases.length} cases of ${this.config.redis.keyPrefix || '(no prefix)'} ` +
        `at store version ${version} in ${Date.now() - started} ms`,
    );
  }

  private async refresh(): Promise<void> {
    const { version, ids } = await this.store.changedSince(this.storeVersion);
    if (version < this.storeVersion) {
      // The store went back in time (flushed, restored from a backup): its feed no longer
      // covers what the index holds, so only a full load can tell what was removed. (A reset
      // followed by more runs than the index had seen goes unnoticed until the next restart.)
      this.logger.warn(`Store version fell from ${this.storeVersion} to ${version}: reloading`);
      return this.load();
    }
    if (ids.length > 0) {
      // Cases are read after the version, so they may be newer than it; the feed reports
      // those ids again next time, and applying the same case twice is harmless.
      const fetched = await this.fetch(ids);
      const upserts: SupportCase[] = [];
      const removedIds: string[] = [];
      for (const id of ids) {
        const c = fetched.get(id);
        if (c) upserts.push(c);
        else removedIds.push(id);
      }
      upserts.push(...(await this.linkTargets(ids, fetched)));
      this.index.apply({ upserts, removedIds });
      await this.prepareOrders();
      this.logger.debug(
        `Applied ${upserts.length} upserts and ${removedIds.length} removals (v${version})`,
      );
    }
    this.storeVersion = version;
  }

  /**
   * Re-sorts what the batch changed one order at a time, letting requests in between: each
   * takes a few ms at 100k cases, all of them together could hold a request for tens of ms.
   * A request that needs an order before its turn brings it up to date itself.
   */
  private async prepareOrders(): Promise<void> {
    while (this.index.prepareNext()) await setImmediate();
  }

  /**
   * A case's links include the links pointing at it, but the feed reports only the case whose
   * own links changed; so the cases it links to now or linked to before are read again too.
   */
  private async linkTargets(
    ids: string[],
    fetched: Map<string, SupportCase | null>,
  ): Promise<SupportCase[]> {
    const targets = new Set<string>();
    for (const id of ids) {
      for (const link of [
        ...(fetched.get(id)?.links ?? []),
        ...(this.index.get(id)?.links ?? []),
      ]) {
        const target = caseId(link.source, link.key);
        if (!fetched.has(target) && this.index.get(target)) targets.add(target);
      }
    }
    if (targets.size === 0) return [];
    // A target gone from the store is in the feed itself; leave its removal to that entry.
    return [...(await this.fetch([...targets])).values()].filter((c) => c !== null);
  }

  private async fetch(ids: string[]): Promise<Map<string, SupportCase | null>> {
    const found = new Map<string, SupportCase | null>();
    for (let i = 0; i < ids.length; i += FETCH_CHUNK) {
      const chunk = ids.slice(i, i + FETCH_CHUNK);
      const cases = await this.store.getCases(chunk);
      chunk.forEach((id, n) => {
        const c = cases[n];
        found.set(id, c && this.interner.intern(c));
      });
    }
    return found;
  }
}
