import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import type { Source } from '../cases/case.model.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import {
  SYNC_JOB,
  SYNC_QUEUE,
  defaultJobOptions,
  manualJobId,
  type SyncJobData,
} from './sync.constants.js';
import type { SyncMode } from './sync.service.js';

/** Enqueues sync jobs; used by the scheduler, and by the web role's "Sync now" later. */
@Injectable()
export class SyncQueue {
  constructor(
    @InjectQueue(SYNC_QUEUE) readonly queue: Queue<SyncJobData>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async enqueue(source: Source, mode: SyncMode, requestId?: string): Promise<Job<SyncJobData>> {
    return this.queue.add(
      SYNC_JOB,
      { source, mode, trigger: 'manual', requestId },
      { ...defaultJobOptions(this.config.sync), jobId: manualJobId(source, mode) },
    );
  }
}
