import type { Source } from '../../cases/case.model.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Hooks for metrics and logs; the HTTP client reports, it does not know who listens. */
export interface UpstreamObserver {
  request(event: {
    source: Source;
    method: string;
    /** The HTTP status, or why no answer came. */
    status: number | 'error' | 'timeout';
    durationMs: number;
  }): void;
  retry(event: { source: Source; attempt: number; delayMs: number; reason: string }): void;
  breaker(event: { source: Source; state: BreakerState }): void;
}

export const NOOP_OBSERVER: UpstreamObserver = {
  request: () => undefined,
  retry: () => undefined,
  breaker: () => undefined,
};

export const UPSTREAM_OBSERVER = Symbol('UPSTREAM_OBSERVER');
