import { Logger } from '@nestjs/common';
import { DEFAULT_GLPI_PRIORITY, DEFAULT_GLPI_STATUS } from '../../cases/vocabulary.js';
import type { GlpiConfig } from '../../config/app-config.js';
import { utcToZoned, zonedToUtc } from '../../common/time.js';
import { plainText } from '../plain-text.js';
import type {
  CaseSource,
  FetchOptions,
  FetchPage,
  SourceRecord,
  TimelineEntry,
} from '../case-source.port.js';
import {
  UpstreamHttpClient,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../http/upstream-http.client.js';
import { parsePayload, rawId } from '../payload.js';
import { readAhead } from '../read-ahead.js';
import { vocabularyFor, type SourceContext } from '../source-context.js';
import {
  UpstreamAuthError,
  UpstreamError,
  UpstreamHttpError,
  UpstreamPayloadError,
  type UpstreamErrorDetails,
} from '../upstream.errors.js';
import { mapGlpiRow, type GlpiMappingContext } from './glpi.mapper.js';
import {
  glpiFollowupsSchema,
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

interface RawPage {
  rows: unknown[];
  total: number;
  start: number;
  next: number;
}
const KEYS_PER_LOOKUP = 50;
/** Listing pages in flight at once. */
const READ_AHEAD = 3;

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
      ...vocabularyFor(
        'glpi',
        ctx,
        { defaults: DEFAULT_GLPI_STATUS, overrides: config.statusMap },
        { defaults: DEFAULT_GLPI_PRIORITY, overrides: config.priorityMap },
      ),
    };
  }

  async *fetchUpdatedSince(
    since: Date | null,
    options: FetchOptions = {},
  ): AsyncGenerator<FetchPage> {
    const session = new GlpiSession(this.http, this.config.userToken);
    const page = (start: number) => {
      const params = this.searchParams(start);
      if (since) {
        params.set('criteria[0][field]', GLPI_OPTION.updatedAt);
        params.set('criteria[0][searchtype]', 'morethan');
        params.set('criteria[0][value]', utcToZoned(since, this.config.timeZone));
      }
      return this.request(session, params, start, options.signal);
    };
    try {
      // Ranges are known once the first page tells the total, so later pages go out together,
      // in steps of what the first page held (a server may serve less than the range asked).
      const pages = readAhead(
        () => page(0),
        (raw) => {
          if (raw.start !== 0 || raw.rows.length === 0) return [];
          const fetchers: (() => Promise<RawPage>)[] = [];
          for (let s = raw.next; s < raw.total; s += raw.rows.length) fetchers.push(() => page(s));
          return fetchers;
        },
        READ_AHEAD,
      );
      let expected = 0;
      for await (const raw of pages) {
        if (raw.rows.length === 0) {
          // The end, possibly earlier than announced (tickets purged while we paged): the
          // smaller total tells the listing to take another pass.
          yield { records: [], total: Math.min(raw.total, raw.start) };
          return;
        }
        if (raw.start !== expected) {
          throw new UpstreamPayloadError(
            { source: 'glpi', url: this.searchUrl },
            `a page starting at ${raw.start} held ${raw.rows.length} rows; the listing has gaps`,
            undefined,
            undefined,
            true,
          );
        }
        expected = raw.next;
        yield { records: this.mapRows(raw.rows), total: raw.total };
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

  async fetchTimeline(key: string, options: FetchOptions = {}): Promise<TimelineEntry[]> {
    const session = new GlpiSession(this.http, this.config.userToken);
    try {
      const params = new URLSearchParams({
        range: '0-199',
        expand_dropdowns: 'true',
        order: 'ASC',
      });
      const path = `Ticket/${encodeURIComponent(key)}/ITILFollowup`;
      const response = await session.request({ path, params, signal: options.signal });
      const rows = parsePayload(glpiFollowupsSchema, response.body ?? [], {
        source: 'glpi',
        url: `${this.config.url}/${path}`,
        record: key,
      });
      return rows
        .filter((f) => !f.is_private)
        .map((f) => ({
          at: zonedToUtc(f.date, this.config.timeZone)?.toISOString() ?? f.date,
          author: typeof f.users_id === 'string' ? f.users_id : null,
          text: plainText(f.content ?? ''),
        }))
        .sort((a, b) => a.at.localeCompare(b.at));
    } finally {
      await session.close();
    }
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
    const raw = await this.request(session, params, 0, signal);
    return { rows: this.mapRows(raw.rows), total: raw.total };
  }

  private async request(
    session: GlpiSession,
    params: URLSearchParams,
    start: number,
    signal?: AbortSignal,
  ): Promise<RawPage> {
    let response: UpstreamResponse;
    try {
      response = await session.request({ path: 'search/Ticket', params, signal });
    } catch (error) {
      // A range past a total that shrank since the first page: nothing left to read there.
      if (
        error instanceof UpstreamHttpError &&
        error.message.includes('ERROR_RANGE_EXCEED_TOTAL')
      ) {
        return { rows: [], total: start, start, next: start };
      }
      throw error;
    }
    const body = parsePayload(glpiSearchResponseSchema, response.body, {
      source: 'glpi',
      url: this.searchUrl,
    });
    const total = contentRangeTotal(response.headers['content-range']) ?? body.totalcount;
    const rows = body.data ?? [];
    return { rows, total, start, next: start + rows.length };
  }

  private mapRows(rows: unknown[]): SourceRecord[] {
    return rows.map((raw) => {
      const row = parsePayload(glpiSearchRowSchema, raw, {
        source: 'glpi',
        url: this.searchUrl,
        record: rawId(raw, GLPI_OPTION.id),
      });
      return mapGlpiRow(row, this.mapping);
    });
  }

  private get searchUrl(): string {
    return `${this.config.url}/search/Ticket`;
  }
}

/**
 * A GLPI API session shared by a listing's concurrent requests: opened lazily, re-opened once
 * (by whichever request notices first; the others wait for it) when it expires, killed at the end.
 */
class GlpiSession {
  private readonly logger = new Logger(GlpiSession.name);
  private opening?: Promise<string>;
  private current?: string;

  constructor(
    private readonly http: UpstreamHttpClient,
    private readonly userToken: string,
  ) {}

  token(signal?: AbortSignal): Promise<string> {
    this.opening ??= this.open(signal).then(
      (token) => (this.current = token),
      (error: unknown) => {
        this.opening = undefined;
        throw error;
      },
    );
    return this.opening;
  }

  async request(req: UpstreamRequest): Promise<UpstreamResponse> {
    const token = await this.token(req.signal);
    try {
      return await this.http.request(this.withToken(req, token));
    } catch (error) {
      if (!(error instanceof GlpiSessionExpiredError)) throw error;
      if (this.current === token) {
        this.logger.log('GLPI session expired; opening a new one and replaying the request');
        this.current = undefined;
        this.opening = undefined;
      }
      return this.http.request(this.withToken(req, await this.token(req.signal)));
    }
  }

  async close(): Promise<void> {
    const token = this.current ?? (await this.opening?.catch(() => undefined));
    this.current = undefined;
    this.opening = undefined;
    if (!token) return;
    try {
      await this.http.request(this.withToken({ path: 'killSession' }, token));
    } catch (error) {
      // The listing already succeeded or failed on its own merits; GLPI garbage-collects sessions.
      this.logger.debug(
        `killSession failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async open(signal?: AbortSignal): Promise<string> {
    const response = await this.http.request({
      path: 'initSession',
      headers: { Authorization: `user_token ${this.userToken}` },
      signal,
    });
    return parsePayload(glpiSessionSchema, response.body, {
      source: 'glpi',
      url: `${this.http.baseUrl}/initSession`,
    }).session_token;
  }

  private withToken(req: UpstreamRequest, token: string): UpstreamRequest {
    return { ...req, headers: { ...req.headers, 'Session-Token': token } };
  }
}
