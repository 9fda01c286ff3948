import type { Job } from 'bull';
import type { SyncJobData } from '../../sync/sync.constants.js';
import type { SyncProgress } from '../../sync/sync.service.js';
import type { SyncJobView } from './status.model.js';

const STATES = new Set<SyncJobView['state']>([
  'waiting',
  'delayed',
  'active',
  'completed',
  'failed',
  'paused',
]);

const iso = (ms: number | undefined | null) => (ms ? new Date(ms).toISOString() : null);

function progressOf(job: Job<SyncJobData>): SyncProgress | null {
  const raw: unknown = job.progress();
  // Bull starts every job at progress 0; ours report an object once they list.
  return typeof raw === 'object' && raw !== null ? (raw as SyncProgress) : null;
}

function resultOf(job: Job<SyncJobData>): SyncJobView['result'] {
  const value = job.returnvalue as Record<string, unknown> | null | undefined;
  if (!value || typeof value !== 'object') return null;
  if (typeof value.skipped === 'string') return { skipped: value.skipped };
  const n = (key: string) => (typeof value[key] === 'number' ? value[key] : 0);
  return {
    fetched: n('fetched'),
    created: n('created'),
    updated: n('updated'),
    unchanged: n('unchanged'),
    removed: n('removed'),
    durationMs: n('durationMs'),
  };
}

/** One sync job as the page and scripts see it: no Bull internals, no stack traces. */
export async function syncJobView(given: Job<SyncJobData>): Promise<SyncJobView> {
  let job = given;
  const raw = await job.getState();
  if ((raw === 'completed' || raw === 'failed') && !job.finishedOn) {
    // The job was read before it finished and its state after: read the finished job again.
    job = (await job.queue.getJob(job.id)) ?? job;
  }
  // Between Bull's lists (e.g. while a failed attempt moves) getState finds the job in none.
  const state = STATES.has(raw as SyncJobView['state'])
    ? (raw as SyncJobView['state'])
    : job.processedOn
      ? 'active'
      : 'waiting';
  return {
    id: String(job.id),
    source: job.data.source,
    mode: job.data.mode,
    trigger: job.data.trigger,
    state,
    done: state === 'completed' || state === 'failed',
    progress: progressOf(job),
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    result: state === 'completed' ? resultOf(job) : null,
    failedReason: job.failedReason ?? null,
    enqueuedAt: iso(job.timestamp),
    startedAt: iso(job.processedOn),
    finishedAt: state === 'completed' || state === 'failed' ? iso(job.finishedOn) : null,
  };
}
