import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import type { Source } from '../cases/case.model.js';
import { APP_CONFIG, configuredSources, type AppConfig } from '../config/app-config.js';
import { CaseStore } from '../store/case.store.js';
import { SnapshotStore } from '../store/snapshot.store.js';
import {
  SNAPSHOT_CRON,
  SNAPSHOT_JOB,
  SYNC_JOB,
  SYNC_QUEUE,
  defaultJobOptions,
  initialJobId,
  repeatJobId,
  type SyncJobData,
} from './sync.constants.js';
import type { SyncMode } from './sync.service.js';

interface Schedule {
  source: Source;
  mode: SyncMode;
  cron: string;
}

/**
 * Registers the repeatable sync jobs. It only enqueues; workers run them. Bull keys a
 * repeatable job by name, id, cron and zone, so every scheduler replica registers the same
 * entry once; entries this configuration no longer wants are removed.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(SyncScheduler.name);

  constructor(
    @InjectQueue(SYNC_QUEUE) private readonly queue: Queue<SyncJobData>,
    private readonly store: CaseStore,
    private readonly snapshots: SnapshotStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  schedules(): Schedule[] {
    const sources = configuredSources(this.config);
    return sources.flatMap((source) => [
      { source, mode: 'incremental' as const, cron: this.config.sync.cron[source] },
      { source, mode: 'full' as const, cron: this.config.sync.cron.reconcile },
    ]);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.register();
  }

  async register(): Promise<void> {
    const tz = this.config.sync.cronTimeZone;
    const wanted = new Set<string>();
    for (const { source, mode, cron } of this.schedules()) {
      const jobId = repeatJobId(source, mode);
      await this.queue.add(
        SYNC_JOB,
        { source, mode, trigger: mode === 'full' ? 'reconcile' : 'schedule' },
        { ...defaultJobOptions(this.config.sync), jobId, repeat: { cron, tz } },
      );
      wanted.add(`${jobId}|${cron}|${tz}`);
    }
    for (const job of await this.queue.getRepeatableJobs()) {
      if (job.name === SYNC_JOB && !wanted.has(`${job.id}|${job.cron}|${job.tz ?? tz}`)) {
        await this.queue.removeRepeatableByKey(job.key);
        this.logger.log(
          `removed schedule ${job.id ?? job.key} (${job.cron}): no longer configured`,
        );
      }
    }
    for (const { source, mode } of this.schedules()) {
      if (mode !== 'incremental' || (await this.store.getSyncStatus(source)).lastSuccessAt)
        continue;
      // A source that never synced gets a first run now rather than at its next tick.
      await this.queue.add(
        SYNC_JOB,
        { source, mode: 'incremental', trigger: 'initial' },
        { ...defaultJobOptions(this.config.sync), jobId: initialJobId(source) },
      );
    }
    await this.queue.add(SNAPSHOT_JOB, {} as SyncJobData, {
      jobId: 'snapshot-daily',
      repeat: { cron: SNAPSHOT_CRON, tz: 'UTC' },
      removeOnComplete: 10,
      removeOnFail: 50,
    });
    const today = new Date().toISOString().slice(0, 10);
    if (!(await this.snapshots.has(today))) {
      // The trend chart has a point for today from the first day on.
      await this.queue.add(SNAPSHOT_JOB, {} as SyncJobData, {
        jobId: `snapshot:${today}`,
        removeOnComplete: 10,
      });
    }
    this.logger.log(`registered ${wanted.size} sync schedules`);
  }
}
