import { Gauge } from 'prom-client';
import type { Queue } from 'bull';
import { CASE_STATUSES, type Source } from '../../cases/case.model.js';
import { withDeadline } from '../../common/deadline.js';
import type { CaseIndex } from '../../query/case-index.js';
import type { SyncStatus } from '../../store/sync-status.js';
import type { CaseboardMetrics } from './caseboard-metrics.js';

export interface ClusterState {
  sources: readonly Source[];
  syncStatus(source: Source): Promise<SyncStatus>;
  queues: readonly Queue[];
  /** The web role's in-memory index, when loaded. */
  index(): CaseIndex | undefined;
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'paused'] as const;
const READ_TIMEOUT_MS = 2000;
const withTimeout = <T>(work: Promise<T>) => withDeadline(work, READ_TIMEOUT_MS, 'timed out');

/**
 * Gauges of the state every process shares (Redis): sync freshness, queue depth, cases. They
 * are read at scrape time, by the web role only; with several web replicas, queries take max().
 * When Redis cannot be read the series are left out rather than reported stale.
 */
export function registerClusterMetrics(metrics: CaseboardMetrics, state: ClusterState): void {
  const registers = [metrics.registry];
  const lastSuccess = new Gauge({
    name: 'caseboard_sync_last_success_timestamp_seconds',
    help: 'When each source last synced successfully (unix seconds)',
    labelNames: ['source'] as const,
    registers,
  });
  const dataAge = new Gauge({
    name: 'caseboard_data_age_seconds',
    help: 'Age of the oldest data per source: seconds since its last successful sync',
    labelNames: ['source'] as const,
    registers,
  });
  const lastFailed = new Gauge({
    name: 'caseboard_sync_last_failed',
    help: '1 when the latest sync run of the source failed, else 0',
    labelNames: ['source'] as const,
    registers,
  });
  const queueJobs = new Gauge({
    name: 'caseboard_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'] as const,
    registers,
  });
  const cases = new Gauge({
    name: 'caseboard_cases',
    help: 'Cases stored, by source and status',
    labelNames: ['source', 'status'] as const,
    registers,
  });

  // prom-client collects metrics in parallel; reading everything once before the scrape keeps
  // the three sync gauges consistent with each other.
  metrics.beforeScrape(async () => {
    const now = Date.now();
    const [statuses, counts] = await Promise.all([
      Promise.all(
        state.sources.map((source) => withTimeout(state.syncStatus(source)).catch(() => null)),
      ),
      Promise.all(state.queues.map((queue) => withTimeout(queue.getJobCounts()).catch(() => null))),
    ]);
    for (const gauge of [lastSuccess, dataAge, lastFailed, queueJobs, cases]) gauge.reset();
    for (const status of statuses) {
      if (!status) continue;
      const source = status.source;
      lastFailed.set({ source }, status.consecutiveFailures > 0 ? 1 : 0);
      if (!status.lastSuccessAt) continue;
      const at = Date.parse(status.lastSuccessAt);
      lastSuccess.set({ source }, at / 1000);
      dataAge.set({ source }, Math.max(0, (now - at) / 1000));
    }
    state.queues.forEach((queue, i) => {
      const byState = counts[i] as unknown as Record<string, number | undefined> | null;
      if (!byState) return;
      for (const s of QUEUE_STATES) queueJobs.set({ queue: queue.name, state: s }, byState[s] ?? 0);
    });
    const index = state.index();
    if (!index) return;
    for (const source of state.sources) {
      const byStatus = index.facets({ source: [source] }).status;
      for (const status of CASE_STATUSES) cases.set({ source, status }, byStatus[status] ?? 0);
    }
  });
}
