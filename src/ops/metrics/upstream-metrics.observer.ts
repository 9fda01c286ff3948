import type { UpstreamObserver } from '../../sources/http/upstream-observer.js';
import { BREAKER_STATE_VALUE, type CaseboardMetrics } from './caseboard-metrics.js';

/** Turns the HTTP client's reports into upstream metrics. */
export function upstreamMetricsObserver(metrics: CaseboardMetrics): UpstreamObserver {
  return {
    request: ({ source, status, durationMs }) => {
      metrics.upstreamRequests.inc({ source, status: String(status) });
      metrics.upstreamDuration.observe({ source }, durationMs / 1000);
    },
    retry: ({ source }) => metrics.upstreamRetries.inc({ source }),
    breaker: ({ source, state }) =>
      metrics.circuitState.set({ source }, BREAKER_STATE_VALUE[state]),
  };
}
