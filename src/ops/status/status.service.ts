import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import type { Job, JobInformation, Queue } from 'bull';
import type { Source } from '../../cases/case.model.js';
import { appVersion } from '../../common/app-version.js';
import { APP_CONFIG, configuredSources, type AppConfig } from '../../config/app-config.js';
import { CaseStore } from '../../store/case.store.js';
import type { SyncStatus } from '../../store/sync-status.js';
import { SYNC_JOB, SYNC_QUEUE, repeatJobId, type SyncJobData } from '../../sync/sync.constants.js';
import { syncJobView } from './sync-job.view.js';
import type { QueueCounts, SourceStatusView, StatusModel } from './status.model.js';

const AS_OF_TTL_MS = 1000;

const iso = (ms: number | undefined | null) => (ms ? new Date(ms).toISOString() : null);

/** Builds the status model from Redis: the sync status hashes and the sync queue. */
@Injectable()
export class StatusService {
  readonly version = appVersion();
  private asOfCache: { value: string | null; until: number } = { value: null, until: 0 };

  constructor(
    private readonly store: CaseStore,
    @InjectQueue(SYNC_QUEUE) private readonly queue: Queue<SyncJobData>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The sources this deployment syncs, in the fixed order. */
  get configuredSources(): Source[] {
    return configuredSources(this.config);
  }

  isConfigured(source: Source): boolean {
    return this.configuredSources.includes(source);
  }

  async model(now = Date.now()): Promise<StatusModel> {
    const sources = this.configuredSources;
    const [statuses, repeatable, active, waiting, counts, paused] = await Promise.all([
      Promise.all(sources.map((s) => this.store.getSyncStatus(s))),
      this.queue.getRepeatableJobs(),
      this.queue.getActive(),
      this.queue.getWaiting(),
      this.queue.getJobCounts(),
      this.queue.getPausedCount(),
    ]);
    const syncJobs = (jobs: Job<SyncJobData>[]) =>
      jobs.filter((j): j is Job<SyncJobData> => j !== null && j.name === SYNC_JOB);
    const running = syncJobs(active);
    const queued = syncJobs(waiting);
    const views = await Promise.all(
      statuses.map(async (status): Promise<SourceStatusView> => {
        const job = running.find((j) => j.data.source === status.source);
        return {
          ...this.freshness(status, now),
          nextRunAt: this.nextRun(repeatable, status.source, 'incremental'),
          nextReconcileAt: this.nextRun(repeatable, status.source, 'full'),
          running: job ? await syncJobView(job) : null,
          queued: queued.filter((j) => j.data.source === status.source).length,
        };
      }),
    );
    const queue: QueueCounts = {
      waiting: counts.waiting,
      active: counts.active,
      delayed: counts.delayed,
      completed: counts.completed,
      failed: counts.failed,
      paused,
    };
    return {
      generatedAt: new Date(now).toISOString(),
      version: this.version,
      dataAsOf: oldestSuccess(statuses),
      sources: views,
      queue,
    };
  }

  /**
   * "Data as of" for every page's layout. Cached briefly: pages render often and the answer
   * only moves when a sync finishes.
   */
  async dataAsOf(): Promise<string | null> {
    if (this.asOfCache.until > Date.now()) return this.asOfCache.value;
    const statuses = await Promise.all(
      this.configuredSources.map((s) => this.store.getSyncStatus(s)),
    );
    const value = oldestSuccess(statuses);
    this.asOfCache = { value, until: Date.now() + AS_OF_TTL_MS };
    return value;
  }

  private freshness(
    s: SyncStatus,
    now: number,
  ): Omit<SourceStatusView, 'nextRunAt' | 'nextReconcileAt' | 'running' | 'queued'> {
    const summary = s.lastSummary;
    return {
      source: s.source,
      lastRunAt: s.lastRunAt,
      lastSuccessAt: s.lastSuccessAt,
      lagSeconds: s.lastSuccessAt
        ? Math.max(0, Math.floor((now - Date.parse(s.lastSuccessAt)) / 1000))
        : null,
      lastErrorAt: s.lastErrorAt,
      lastError: s.lastError,
      consecutiveFailures: s.consecutiveFailures,
      lastSummary: summary
        ? {
            mode: summary.mode,
            fetched: summary.fetched,
            created: summary.created,
            updated: summary.updated,
            unchanged: summary.unchanged,
            removed: summary.removed,
            durationMs: summary.durationMs,
          }
        : null,
    };
  }

  private nextRun(
    repeatable: JobInformation[],
    source: Source,
    mode: 'incremental' | 'full',
  ): string | null {
    const id = repeatJobId(source, mode);
    const entry = repeatable.find((r) => r.name === SYNC_JOB && r.id === id);
    return iso(entry?.next);
  }
}

/** Every source must have synced once for the pages to claim any freshness at all. */
function oldestSuccess(statuses: SyncStatus[]): string | null {
  const times = statuses.map((s) => s.lastSuccessAt);
  if (times.length === 0 || times.some((t) => t === null)) return null;
  return (times as string[]).sort()[0];
}
