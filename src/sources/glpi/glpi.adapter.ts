import { Logger } from '@nestjs/common';
import {
  VocabularyMapper,
  DEFAULT_GLPI_PRIORITY,
  DEFAULT_GLPI_STATUS,
  STATUS_FALLBACK,
  SEVERITY_FALLBACK,
  mergeVocabulary,
} from '../../cases/vocabulary.js';
import type { GlpiConfig } from '../../config/app-config.js';
import { utcToZoned } from '../../common/time.js';
import type { CaseSource, FetchOptions, FetchPage, SourceRecord } from '../case-source.port.js';
import {
  UpstreamHttpClient,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../http/upstream-http.client.js';
import { parsePayload, rawId } from '../payload.js';
import type { SourceContext } from '../source-context.js';
import { UpstreamAuthError, UpstreamError, type UpstreamErrorDetails } from '../upstream.errors.js';
import { mapGlpiRow, type GlpiMappingContext } from './glpi.mapper.js';
import {
  GLPI_OPTION,
  glpiSearchResponseSchema,
  glpiSearchRowSchema,
  glpiSessionSchema,
} from './glpi.schemas.js';

/** GLPI answered 401 ERROR_SESSION_TOKEN_INVALID: the session expired; re-open it and replay. */
class GlpiSessionExpiredError extends UpstreamError {
  readonly transient = false;
  constructor(details: UpstreamErrorDetails) {
    super(details, 'session token expired');
  }
}

const FORCED_OPTIONS = Object.values(GLPI_OPTION);
const KEYS_PER_LOOKUP = 50;

function glpiErrorCode(body: unknown): string | undefined {
  return Array.isArray(body) && typeof body[0] === 'string' ? body[0] : undefined;
}

function mapGlpiError(
  response: UpstreamResponse,
  details: UpstreamErrorDetails,
): UpstreamError | undefined {
  const code = glpiErrorCode(response.body);
  const message = Array.isArray(response.body)
    ? response.body.map(String).join(': ')
    : `HTTP ${response.status}`;
  if (response.status === 401 && code === 'ERROR_SESSION_TOKEN_INVALID') {
    return new GlpiSessionExpiredError(details);
  }
  if (
    code === 'ERROR_GLPI_LOGIN_USER_TOKEN' ||
    code === 'ERROR_WRONG_APP_TOKEN_PARAMETER' ||
    code === 'ERROR_APP_TOKEN_PARAMETERS_MISSING' ||
    code === 'ERROR_NOT_ALLOWED_IP' ||
    code === 'ERROR_RIGHT_MISSING'
  ) {
    return new UpstreamAuthError(details, response.status, message);
  }
  return undefined;
}

/** "a-b/N" → N; GLPI omits the header when nothing matched. */
function contentRangeTotal(header: string | undefined): number | undefined {
  const m = header ? /\/(\d+)\s*$/.exec(header) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * GLPI legacy REST (apirest.php): one session per listing, search/Ticket on "last update"
 * (option 19) with range paging driven by the Content-Range total.
 */
export class GlpiAdapter implements CaseSource {
  readonly name = 'glpi' as const;
  private readonly http: UpstreamHttpClient;
  private readonly mapping: GlpiMappingContext;

  constructor(
    private readonly config: GlpiConfig,
    ctx: SourceContext,
  ) {
    this.http = new UpstreamHttpClient('glpi', config.url, ctx.policy, ctx.observer, mapGlpiError, {
      'Content-Type': 'application/json',
      // GLPI 10 entity-encodes text fields unless asked not to; GLPI 11 always sends raw text.
      'X-GLPI-Sanitized-Content': 'false',
      ...(config.appToken ? { 'App-Token': config.appToken } : {}),
    });
    this.mapping = {
      webRoot: config.webRoot,
      timeZone: config.timeZone,
      links: ctx.links,
      status: new VocabularyMapper(
        'glpi',
        'status',
        mergeVocabulary(DEFAULT_GLPI_STATUS, config.statusMap),
        STATUS_FALLBACK,
        ctx.onUnknownValue,
      ),
      severity: new VocabularyMapper(
        'glpi',
        'severity',
        mergeVocabulary(DEFAULT_GLPI_PRIORITY, config.priorityMap),
        SEVERITY_FALLBACK,
        ctx.onUnknownValue,
      ),
    };
  }

  get client(): UpstreamHttpClient {
    return this.http;
  }

  async *fetchUpdatedSince(
    since: Date | null,
    options: FetchOptions = {},
  ): AsyncGenerator<FetchPage> {
    const session = new GlpiSession(this.http, this.config.userToken);
    try {
      let start = 0;
      for (;;) {
        const params = this.searchParams(start);
        if (since) {
          params.set('criteria[0][field]', GLPI_OPTION.updatedAt);
          params.set('criteria[0][searchtype]', 'morethan');
          params.set('criteria[0][value]', utcToZoned(since, this.config.timeZone));
        }
        const { rows, total } = await this.search(session, params, options.signal);
        yield { records: rows, total };
        start += rows.length;
        if (rows.length === 0 || start >= total) return;
      }
    } finally {
      await session.close();
    }
  }

  async fetchByKeys(keys: string[], options: FetchOptions = {}): Promise<SourceRecord[]> {
    const session = new GlpiSession(this.http, this.config.userToken);
    const found: SourceRecord[] = [];
    try {
      for (let i = 0; i < keys.length; i += KEYS_PER_LOOKUP) {
        const batch = keys.slice(i, i + KEYS_PER_LOOKUP);
        const params = this.searchParams(0, batch.length);
        batch.forEach((key, n) => {
          if (n > 0) params.set(`criteria[${n}][link]`, 'OR');
          params.set(`criteria[${n}][field]`, GLPI_OPTION.id);
          params.set(`criteria[${n}][searchtype]`, 'equals');
          params.set(`criteria[${n}][value]`, key);
        });
        found.push(...(await this.search(session, params, options.signal)).rows);
      }
    } finally {
      await session.close();
    }
    return found;
  }

  async healthCheck(options: FetchOptions = {}): Promise<void> {
    const session = new GlpiSession(this.http, this.config.userToken);
    await session.token(options.signal);
    await session.close();
  }

  private searchParams(start: number, size = this.config.pageSize): URLSearchParams {
    const params = new URLSearchParams();
    FORCED_OPTIONS.forEach((option, i) => params.set(`forcedisplay[${i}]`, option));
    params.set('sort', GLPI_OPTION.updatedAt);
    params.set('order', 'ASC');
    params.set('range', `${start}-${start + size - 1}`);
    return params;
  }

  private async search(
    session: GlpiSession,
    params: URLSearchParams,
    signal?: AbortSignal,
  ): Promise<{ rows: SourceRecord[]; total: number }> {
    const response = await session.request({ path: 'search/Ticket', params, signal });
    const url = `${this.config.url}/search/Ticket`;
    const body = parsePayload(glpiSearchResponseSchema, response.body, { source: 'glpi', url });
    const total = contentRangeTotal(response.headers['content-range']) ?? body.totalcount;
    const rows = (body.data ?? []).map((raw) => {
      const row = parsePayload(glpiSearchRowSchema, raw, {
        source: 'glpi',
        url,
        record: rawId(raw, GLPI_OPTION.id),
      });
      return mapGlpiRow(row, this.mapping);
    });
    return { rows, total };
  }
}

/** A GLPI API session: opened lazily, re-opened once when it expires mid-listing, killed at the end. */
class GlpiSession {
  private readonly logger = new Logger(GlpiSession.name);
  private current?: string;

  constructor(
    private readonly http: UpstreamHttpClient,
    private readonly userToken: string,
  ) {}

  async token(signal?: AbortSignal): Promise<string> {
    if (!this.current) {
      const response = await this.http.request({
        path: 'initSession',
        headers: { Authorization: `user_token ${this.userToken}` },
        signal,
      });
      this.current = parsePayload(glpiSessionSchema, response.body, {
        source: 'glpi',
        url: `${this.http.baseUrl}/initSession`,
      }).session_token;
    }
    return this.current;
  }

  async request(req: UpstreamRequest): Promise<UpstreamResponse> {
    try {
      return await this.http.request(this.withToken(req, await this.token(req.signal)));
    } catch (error) {
      if (!(error instanceof GlpiSessionExpiredError)) throw error;
      this.logger.log('GLPI session expired; opening a new one and replaying the request');
      this.current = undefined;
      return this.http.request(this.withToken(req, await this.token(req.signal)));
    }
  }

  async close(): Promise<void> {
    if (!this.current) return;
    const token = this.current;
    this.current = undefined;
    try {
      await this.http.request(this.withToken({ path: 'killSession' }, token));
    } catch (error) {
      // The listing already succeeded or failed on its own merits; a session GLPI garbage-collects anyway.
      this.logger.debug(
        `killSession failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private withToken(req: UpstreamRequest, token: string): UpstreamRequest {
    return { ...req, headers: { ...req.headers, 'Session-Token': token } };
  }
}
