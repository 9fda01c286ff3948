import { Process, Processor } from '@nestjs/bull';
import { Inject, Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CaseboardMetrics } from '../ops/metrics/caseboard-metrics.js';
import { CaseStore } from '../store/case.store.js';
import type { SyncSummary } from '../store/sync-status.js';
import { SYNC_JOB, SYNC_QUEUE, syncLockName, type SyncJobData } from './sync.constants.js';
import { SyncBusyError } from './sync.errors.js';
import { SyncService } from './sync.service.js';

export type SyncJobResult = SyncSummary | { skipped: string };

/** Thin: holds the per-source lease around one SyncService run and reports progress. */
@Processor(SYNC_QUEUE)
export class SyncProcessor {
  private readonly logger = new Logger(SyncProcessor.name);

  constructor(
    private readonly sync: SyncService,
    private readonly store: CaseStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: CaseboardMetrics,
  ) {}

  @Process({ name: SYNC_JOB, concurrency: 3 })
  async handle(job: Job<SyncJobData>): Promise<SyncJobResult> {
    const { source, mode, trigger } = job.data;
    const owner = `job:${String(job.id)}`;
    const lock = syncLockName(source);
    const ttl = this.config.sync.jobLockMs;
    if (!(await this.store.acquireLock(lock, owner, ttl))) {
      const holder = (await this.store.lockHolder(lock)) ?? 'unknown';
      // A cron tick during a running sync adds nothing that run will not pick up next time.
      if (trigger === 'schedule')
        return { skipped: `another sync of ${source} is running (${holder})` };
      throw new SyncBusyError(source, holder);
    }
    const renewal = setInterval(
      () => {
        this.store
          .renewLock(lock, owner, ttl)
          .catch((e: unknown) => this.logger.warn(`lease renewal failed: ${String(e)}`));
      },
      Math.max(250, Math.floor(ttl / 3)),
    );
    const started = performance.now();
    try {
      const summary = await this.sync.run(source, mode, {
        onProgress: (progress) => {
          job.progress(progress).catch(() => undefined);
        },
      });
      this.metrics.recordSyncSuccess(summary);
      return summary;
    } catch (error) {
      this.metrics.recordSyncFailure(source, mode, performance.now() - started);
      // Bad credentials or a malformed record will not heal by retrying: fail the job now.
      // Every retriable error (upstream, busy lease, unstable listing) says so in `transient`.
      if ((error as { transient?: boolean }).transient !== true) {
        await job.discard();
      }
      throw error;
    } finally {
      clearInterval(renewal);
      await this.store.releaseLock(lock, owner).catch(() => undefined);
    }
  }
}
