import type { Source } from '../cases/case.model.js';

const SECRET_PARAMS =
  /([?&](?:api_key|Bugzilla_api_key|token|user_token|app_token|session_token|password)=)[^&#]*/gi;

/** URLs go into messages and logs; credentials passed as query parameters must not. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1***');
}

export interface UpstreamErrorDetails {
  source: Source;
  method?: string;
  url?: string;
  cause?: unknown;
}

/**
 * Base of every error an adapter throws. `transient` errors are retried (by the HTTP client,
 * then by the job); permanent ones fail the sync at once.
 */
export abstract class UpstreamError extends Error {
  abstract readonly transient: boolean;
  readonly source: Source;
  readonly method?: string;
  readonly url?: string;

  constructor(details: UpstreamErrorDetails, what: string) {
    const where = details.url ? ` (${details.method ?? 'GET'} ${redactUrl(details.url)})` : '';
    super(`${details.source}: ${what}${where}`, { cause: details.cause });
    this.name = new.target.name;
    this.source = details.source;
    this.method = details.method;
    this.url = details.url ? redactUrl(details.url) : undefined;
  }
}

export class UpstreamTimeoutError extends UpstreamError {
  readonly transient = true;
  constructor(details: UpstreamErrorDetails, timeoutMs: number) {
    super(details, `no response within ${timeoutMs} ms`);
  }
}

export class UpstreamNetworkError extends UpstreamError {
  readonly transient = true;
  constructor(details: UpstreamErrorDetails, reason: string) {
    super(details, `network error: ${reason}`);
  }
}

export class UpstreamHttpError extends UpstreamError {
  readonly transient: boolean;
  constructor(
    details: UpstreamErrorDetails,
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(details, `HTTP ${status}: ${message}`);
    this.transient = status >= 500 || status === 429 || status === 408;
  }
}

export class UpstreamAuthError extends UpstreamError {
  readonly transient = false;
  constructor(
    details: UpstreamErrorDetails,
    readonly status: number,
    message: string,
  ) {
    super(details, `authentication failed (HTTP ${status}): ${message}`);
  }
}

/** The upstream answered, but not with what its API promises (bad JSON, missing field...). */
export class UpstreamPayloadError extends UpstreamError {
  constructor(
    details: UpstreamErrorDetails,
    message: string,
    readonly record?: string,
    readonly field?: string,
    readonly transient = false,
  ) {
    const at = [record && `record ${record}`, field && `field ${field}`].filter(Boolean).join(', ');
    super(details, `invalid payload${at ? ` at ${at}` : ''}: ${message}`);
  }
}

export class UpstreamUnavailableError extends UpstreamError {
  readonly transient = true;
  constructor(details: UpstreamErrorDetails) {
    super(details, 'circuit breaker open after repeated failures; not calling the upstream');
  }
}
