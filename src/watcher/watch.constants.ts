import type { JobOptions } from 'bull';

/** The watcher's own queue; exported for Bull Board. */
export const WATCH_QUEUE = 'watch';
export const WATCH_JOB = 'watch';
// Bull splits repeat keys on ':', so a repeatable job's id must not contain one.
export const WATCH_REPEAT_JOB_ID = 'watch-cron';

/** One run at a time across workers and bin/case-watcher. */
export const WATCH_LOCK = 'watch';
export const WATCH_LOCK_MS = 10 * 60_000;

/** A run handles its own delivery retries; a failed job means Redis itself failed. */
export const WATCH_JOB_OPTIONS: JobOptions = {
  attempts: 1,
  removeOnComplete: 20,
  removeOnFail: 50,
};
