import axios, { type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  bulkhead,
  circuitBreaker,
  handleWhen,
  type BulkheadPolicy,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import type { Source } from '../../cases/case.model.js';
import type { UpstreamPolicy } from '../../config/app-config.js';
import {
  UpstreamAuthError,
  UpstreamError,
  UpstreamHttpError,
  UpstreamNetworkError,
  UpstreamPayloadError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  type UpstreamErrorDetails,
} from '../upstream.errors.js';
import { RateLimiter } from './rate-limiter.js';
import { parseRetryAfter, retryDelay, sleep } from './retry-delay.js';
import type { BreakerState, UpstreamObserver } from './upstream-observer.js';

export interface UpstreamRequest {
  method?: 'GET' | 'POST';
  /** Path relative to the client's base URL. */
  path: string;
  params?: URLSearchParams;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | undefined>;
  /** Parsed JSON body (undefined when empty). */
  body: unknown;
}

/**
 * Turns a non-2xx answer into the adapter's typed error (it knows its system's envelope).
 * Returning undefined falls back to a plain UpstreamHttpError.
 */
export type ErrorMapper = (
  response: UpstreamResponse,
  details: UpstreamErrorDetails,
) => UpstreamError | undefined;

const BREAKER_STATE: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/**
 * The one way adapters talk HTTP: axios underneath, a deadline on every request, retries with
 * backoff and jitter on transient failures (honouring Retry-After), a circuit breaker, and a
 * concurrency and rate limit per source.
 */
export class UpstreamHttpClient {
  private readonly http: AxiosInstance;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly bulkhead: BulkheadPolicy;
  private readonly limiter: RateLimiter;

  constructor(
    readonly source: Source,
    readonly baseUrl: string,
    private readonly policy: UpstreamPolicy,
    private readonly observer: UpstreamObserver,
    private readonly mapError: ErrorMapper = () => undefined,
    defaultHeaders: Record<string, string> = {},
  ) {
    this.http = axios.create({
      baseURL: baseUrl.replace(/\/+$/, '') + '/',
      timeout: policy.timeoutMs,
      headers: { Accept: 'application/json', ...defaultHeaders },
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
    });
    this.breaker = circuitBreaker(
      handleWhen((error) => error instanceof UpstreamError && error.transient),
      {
        halfOpenAfter: policy.breakerResetMs,
        breaker: new ConsecutiveBreaker(policy.breakerThreshold),
      },
    );
    this.breaker.onStateChange((state) =>
      this.observer.breaker({ source, state: BREAKER_STATE[state] }),
    );
    this.bulkhead = bulkhead(policy.concurrency, Number.MAX_SAFE_INTEGER);
    this.limiter = new RateLimiter(policy.ratePerSecond);
  }

  get breakerState(): BreakerState {
    return BREAKER_STATE[this.breaker.state];
  }

  /** Sends with retries; resolves with a 2xx response, rejects with an UpstreamError. */
  async request(req: UpstreamRequest): Promise<UpstreamResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.bulkhead.execute(() => this.breaker.execute(() => this.once(req)));
      } catch (error) {
        if (req.signal?.aborted) throw req.signal.reason;
        const typed = this.toUpstreamError(error, req);
        // An open circuit is not retried here: the job-level retry comes back after it half-opens.
        if (
          !typed.transient ||
          typed instanceof UpstreamUnavailableError ||
          attempt >= this.policy.retries
        ) {
          throw typed;
        }
        const retryAfter = typed instanceof UpstreamHttpError ? typed.retryAfterMs : undefined;
        const delayMs = retryDelay(
          attempt,
          this.policy.retryBaseMs,
          this.policy.retryMaxMs,
          retryAfter,
        );
        this.observer.retry({
          source: this.source,
          attempt: attempt + 1,
          delayMs,
          reason: typed.message,
        });
        await sleep(delayMs, req.signal);
      }
    }
  }

  private details(req: UpstreamRequest, cause?: unknown): UpstreamErrorDetails {
    const query = req.params && req.params.size > 0 ? `?${req.params.toString()}` : '';
    return {
      source: this.source,
      method: req.method ?? 'GET',
      url: `${this.baseUrl.replace(/\/+$/, '')}/${req.path.replace(/^\/+/, '')}${query}`,
      cause,
    };
  }

  private toUpstreamError(error: unknown, req: UpstreamRequest): UpstreamError {
    if (error instanceof UpstreamError) return error;
    if (error instanceof BrokenCircuitError) return new UpstreamUnavailableError(this.details(req));
    return new UpstreamNetworkError(this.details(req, error), String(error));
  }

  private async once(req: UpstreamRequest): Promise<UpstreamResponse> {
    await this.limiter.acquire(req.signal);
    const started = performance.now();
    // axios' timeout is per socket inactivity; the abort signal bounds the whole exchange.
    const deadline = AbortSignal.timeout(this.policy.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    let raw: AxiosResponse<string>;
    try {
      raw = await this.http.request<string>({
        method: req.method ?? 'GET',
        url: req.path.replace(/^\/+/, ''),
        params: req.params,
        data: req.body,
        headers: req.headers,
        signal,
      });
    } catch (error) {
      const timedOut =
        deadline.aborted ||
        (isAxiosError(error) && error.code === 'ECONNABORTED') ||
        (isAxiosError(error) && error.code === 'ETIMEDOUT');
      this.observer.request({
        source: this.source,
        method: req.method ?? 'GET',
        status: timedOut ? 'timeout' : 'error',
        durationMs: performance.now() - started,
      });
      if (req.signal?.aborted) throw req.signal.reason;
      if (timedOut) {
        throw new UpstreamTimeoutError(this.details(req, error), this.policy.timeoutMs);
      }
      const reason = isAxiosError(error) ? (error.code ?? error.message) : String(error);
      throw new UpstreamNetworkError(this.details(req, error), reason);
    }
    this.observer.request({
      source: this.source,
      method: req.method ?? 'GET',
      status: raw.status,
      durationMs: performance.now() - started,
    });
    const response: UpstreamResponse = {
      status: raw.status,
      headers: raw.headers as Record<string, string | undefined>,
      body: undefined,
    };
    const text = typeof raw.data === 'string' ? raw.data : '';
    const isJson = /json/i.test(String(raw.headers['content-type'] ?? 'application/json'));
    if (text.trim() !== '' && isJson) {
      try {
        response.body = JSON.parse(text);
      } catch (error) {
        // A cut-off body is usually a proxy or network hiccup, so it is retried like one.
        if (raw.status < 300) {
          throw new UpstreamPayloadError(
            this.details(req, error),
            `response is not valid JSON (${text.length} bytes)`,
            undefined,
            undefined,
            true,
          );
        }
        response.body = text;
      }
    } else if (text.trim() !== '') {
      response.body = text;
    }
    if (raw.status >= 200 && raw.status < 300) return response;
    const details = this.details(req);
    const mapped = this.mapError(response, details);
    if (mapped) throw mapped;
    const message = describeErrorBody(response.body);
    if (raw.status === 401 || raw.status === 403) {
      throw new UpstreamAuthError(details, raw.status, message);
    }
    throw new UpstreamHttpError(
      details,
      raw.status,
      message,
      parseRetryAfter(response.headers['retry-after']),
    );
  }
}

/** Reads the message out of GLPI's ["CODE","message"], JIRA's errorMessages or Bugzilla's envelope. */
export function describeErrorBody(body: unknown): string {
  if (Array.isArray(body)) return body.map(String).join(': ').slice(0, 300);
  if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    const parts: string[] = [];
    if (Array.isArray(o.errorMessages)) parts.push(...o.errorMessages.map(String));
    if (o.errors && typeof o.errors === 'object') {
      for (const [k, v] of Object.entries(o.errors as Record<string, unknown>))
        parts.push(`${k}: ${String(v)}`);
    }
    if (typeof o.message === 'string')
      parts.push(
        typeof o.code === 'number' || typeof o.code === 'string'
          ? `code ${o.code}: ${o.message}`
          : o.message,
      );
    if (parts.length > 0) return parts.join('; ').slice(0, 300);
    return JSON.stringify(body).slice(0, 300);
  }
  return typeof body === 'string' && body !== '' ? body.slice(0, 300) : '(empty body)';
}
