import { Injectable, Logger } from '@nestjs/common';
import type { Source } from '../../cases/case.model.js';
import { SYNC_JOB } from '../../sync/sync.constants.js';
import { SyncQueue } from '../../sync/sync.queue.js';
import { syncJobView } from './sync-job.view.js';
import type { SyncJobView } from './status.model.js';

export interface SyncNowAnswer {
  /** False when a run of this source was already waiting or running: that job is answered. */
  started: boolean;
  message: string;
  job: SyncJobView;
}

/** "Sync now" from the status page: one manual incremental run per source at a time. */
@Injectable()
export class SyncNowService {
  private readonly logger = new Logger(SyncNowService.name);

  constructor(private readonly syncQueue: SyncQueue) {}

  async start(source: Source, requestedBy: string, requestId: string): Promise<SyncNowAnswer> {
    const pending = await this.pendingJob(source);
    if (pending) {
      const view = await syncJobView(pending);
      return {
        started: false,
        message: `A sync of ${source} is already ${view.state === 'active' ? 'running' : 'queued'}`,
        job: view,
      };
    }
    const job = await this.syncQueue.enqueue(source, 'incremental', requestId);
    this.logger.log(
      `${requestedBy} started a sync of ${source} (job ${String(job.id)}, request ${requestId})`,
    );
    return {
      started: true,
      message: `Sync of ${source} queued`,
      job: await syncJobView(job),
    };
  }

  /** A sync job by id, or null when there is none (unknown, or removed after completion). */
  async job(id: string): Promise<SyncJobView | null> {
    const job = await this.syncQueue.queue.getJob(id);
    return job && job.name === SYNC_JOB ? syncJobView(job) : null;
  }

  /**
   * A waiting, running or retrying sync of the source. Other delayed jobs are left out: the
   * next cron tick waits there as a delayed job all the time.
   */
  private async pendingJob(source: Source) {
    const [pending, delayed] = await Promise.all([
      this.syncQueue.queue.getJobs(['active', 'waiting']),
      this.syncQueue.queue.getDelayed(),
    ]);
    const retrying = delayed.filter((j) => j !== null && j.attemptsMade > 0);
    return [...pending, ...retrying].find(
      (j) => j !== null && j.name === SYNC_JOB && j.data.source === source,
    );
  }
}
