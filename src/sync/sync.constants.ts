import type { JobOptions } from 'bull';
import type { Source } from '../cases/case.model.js';
import type { SyncConfig } from '../config/app-config.js';
import type { SyncMode } from './sync.service.js';

export const SYNC_QUEUE = 'sync';
export const SYNC_JOB = 'sync';
/** The daily backlog snapshot for the trend chart; runs on the same queue and workers. */
export const SNAPSHOT_JOB = 'snapshot';
export const SNAPSHOT_CRON = '10 0 * * *';

/** Why a job exists: a cron tick, the nightly reconcile, a person or script, the first boot. */
export type SyncTrigger = 'schedule' | 'reconcile' | 'manual' | 'initial';

export interface SyncJobData {
  source: Source;
  mode: SyncMode;
  trigger: SyncTrigger;
  requestId?: string;
}

/** The per-source lease that keeps two runs of one source from overlapping anywhere. */
export const syncLockName = (source: Source) => `sync:${source}`;

/**
 * Job ids: repeatable jobs get Bull's deterministic `repeat:<hash>:<tick>` ids, so any number
 * of schedulers produce one job per tick; the first-boot job has one fixed id per source.
 */
// Bull splits repeat keys on ':', so a repeatable job's id must not contain one.
export const repeatJobId = (source: Source, mode: SyncMode) => `sync-${source}-${mode}`;
export const initialJobId = (source: Source) => `sync:${source}:initial`;
export const manualJobId = (source: Source, mode: SyncMode) =>
  `sync:${source}:${mode}:${Date.now()}`;

export function defaultJobOptions(config: SyncConfig): JobOptions {
  return {
    attempts: config.attempts,
    backoff: { type: 'exponential', delay: config.backoffMs },
    removeOnComplete: config.keepCompletedJobs,
    removeOnFail: config.keepFailedJobs,
  };
}
