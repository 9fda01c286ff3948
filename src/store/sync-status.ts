import type { Source } from '../cases/case.model.js';

export interface SyncCounts {
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
}

export interface SyncSummary extends SyncCounts {
  source: Source;
  mode: 'incremental' | 'full';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  cursor: string | null;
  unknownValues: number;
}

/** Freshness of one source, for the status page and the CLI. */
export interface SyncStatus {
  source: Source;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  lastSummary: SyncSummary | null;
  cursor: string | null;
}
