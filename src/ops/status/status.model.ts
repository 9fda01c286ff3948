import type { Source } from '../../cases/case.model.js';
import type { SyncMode, SyncProgress } from '../../sync/sync.service.js';
import type { SyncTrigger } from '../../sync/sync.constants.js';
import type { SyncCounts } from '../../store/sync-status.js';

/** A sync job as the status page and its scripts see it. */
export interface SyncJobView {
  id: string;
  source: Source;
  mode: SyncMode;
  trigger: SyncTrigger;
  /** Bull's state; `completed` and `failed` are final. */
  state: 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'paused';
  done: boolean;
  progress: SyncProgress | null;
  attemptsMade: number;
  attempts: number;
  /** What a completed run did, or why it did nothing. */
  result: (SyncCounts & { durationMs: number }) | { skipped: string } | null;
  failedReason: string | null;
  enqueuedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Freshness and schedule of one configured source. */
export interface SourceStatusView {
  source: Source;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  /** Seconds since the last successful sync; null before the first one. */
  lagSeconds: number | null;
  lastErrorAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  /** The last success's counts, as bin/sync prints them. */
  lastSummary: (SyncCounts & { mode: SyncMode; durationMs: number }) | null;
  /** Next incremental run of the registered schedule; null while no scheduler registered one. */
  nextRunAt: string | null;
  nextReconcileAt: string | null;
  running: SyncJobView | null;
  queued: number;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
  paused: number;
}

export interface StatusModel {
  generatedAt: string;
  version: string;
  /** The oldest last success among configured sources, null until every one has synced. */
  dataAsOf: string | null;
  sources: SourceStatusView[];
  queue: QueueCounts;
}
