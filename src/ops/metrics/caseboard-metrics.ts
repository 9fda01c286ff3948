import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Source } from '../../cases/case.model.js';
import type { Role } from '../../config/roles.js';
import type { SyncSummary } from '../../store/sync-status.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const SYNC_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800];

export const BREAKER_STATE_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * Every metric this process exports, in its own registry (never prom-client's global one, so
 * tests and several apps in one process don't collide). Names are a contract with
 * deploy/prometheus and the Grafana dashboard.
 */
export class CaseboardMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests served, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly syncRuns = new Counter({
    name: 'caseboard_sync_runs_total',
    help: 'Sync runs finished by this process, by source, mode and result',
    labelNames: ['source', 'mode', 'result'] as const,
    registers: [this.registry],
  });

  readonly syncDuration = new Histogram({
    name: 'caseboard_sync_duration_seconds',
    help: 'Duration of sync runs (successful and failed)',
    labelNames: ['source', 'mode'] as const,
    buckets: SYNC_BUCKETS,
    registers: [this.registry],
  });

  readonly syncCases = new Counter({
    name: 'caseboard_sync_cases_total',
    help: 'Cases seen by successful sync runs: fetched, created, updated, removed',
    labelNames: ['source', 'change'] as const,
    registers: [this.registry],
  });

  readonly upstreamRequests = new Counter({
    name: 'caseboard_upstream_requests_total',
    help: 'Requests to upstream systems by HTTP status (or error when no answer came)',
    labelNames: ['source', 'status'] as const,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'caseboard_upstream_request_duration_seconds',
    help: 'Latency of upstream requests, each attempt on its own',
    labelNames: ['source'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly upstreamRetries = new Counter({
    name: 'caseboard_upstream_retries_total',
    help: 'Upstream requests retried after a transient failure',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly circuitState = new Gauge({
    name: 'caseboard_upstream_circuit_state',
    help: 'Circuit breaker per upstream: 0 closed, 1 half-open, 2 open',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly buildInfo = new Gauge({
    name: 'caseboard_build_info',
    help: 'Always 1; labels say the version and the roles this process runs',
    labelNames: ['version', 'role'] as const,
    registers: [this.registry],
  });

  constructor(roles: readonly Role[], version: string, sources: readonly Source[] = []) {
    collectDefaultMetrics({ register: this.registry });
    for (const role of roles) this.buildInfo.set({ version, role }, 1);
    // Series exist from the start, so rate() and alerts see a 0 before the first event.
    for (const source of sources) {
      this.circuitState.set({ source }, BREAKER_STATE_VALUE.closed);
      this.upstreamRetries.inc({ source }, 0);
    }
  }

  recordSyncSuccess(summary: SyncSummary): void {
    const { source, mode } = summary;
    this.syncRuns.inc({ source, mode, result: 'success' });
    this.syncDuration.observe({ source, mode }, summary.durationMs / 1000);
    for (const change of ['fetched', 'created', 'updated', 'removed'] as const) {
      this.syncCases.inc({ source, change }, summary[change]);
    }
  }

  recordSyncFailure(source: Source, mode: string, durationMs: number): void {
    this.syncRuns.inc({ source, mode, result: 'failure' });
    this.syncDuration.observe({ source, mode }, durationMs / 1000);
  }

  private readonly scrapeHooks: (() => Promise<void>)[] = [];

  /** Work to finish before each scrape is read (gauges of shared state read all at once). */
  beforeScrape(hook: () => Promise<void>): void {
    this.scrapeHooks.push(hook);
  }

  /** The text exposition format, for /metrics. */
  async expose(): Promise<{ contentType: string; body: string }> {
    await Promise.all(this.scrapeHooks.map((hook) => hook()));
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
