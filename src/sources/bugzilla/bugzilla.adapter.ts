import { DEFAULT_BUGZILLA_SEVERITY, DEFAULT_BUGZILLA_STATUS } from '../../cases/vocabulary.js';
import type { BugzillaConfig } from '../../config/app-config.js';
import { parseOffsetTimestamp } from '../../common/time.js';
import type {
  CaseSource,
  FetchOptions,
  FetchPage,
  SourceRecord,
  TimelineEntry,
} from '../case-source.port.js';
import { UpstreamHttpClient, type UpstreamResponse } from '../http/upstream-http.client.js';
import { parsePayload, rawId } from '../payload.js';
import { vocabularyFor, type SourceContext } from '../source-context.js';
import { UpstreamAuthError, type UpstreamErrorDetails } from '../upstream.errors.js';
import { mapBugzillaBug, type BugzillaMappingContext } from './bugzilla.mapper.js';
import {
  BUGZILLA_FIELDS,
  bugzillaBugSchema,
  bugzillaCommentsSchema,
  bugzillaSearchSchema,
} from './bugzilla.schemas.js';

/** Bugzilla's login family (300–307, 410): bad key is 306 with HTTP 400, not 401. */
const AUTH_CODES = new Set([300, 301, 302, 303, 304, 305, 306, 307, 410]);

function mapBugzillaError(response: UpstreamResponse, details: UpstreamErrorDetails) {
  const body = response.body as { code?: unknown; message?: unknown } | undefined;
  if (body && typeof body.code === 'number' && AUTH_CODES.has(body.code)) {
    return new UpstreamAuthError(
      details,
      response.status,
      `code ${body.code}: ${typeof body.message === 'string' ? body.message : ''}`,
    );
  }
  return undefined;
}

/**
 * Bugzilla 5 REST: /rest/bug with the API key as a parameter (stock servers ignore the header
 * and answer anonymously), last_change_time ≥ cursor, stable order, limit/offset paging.
 */
export class BugzillaAdapter implements CaseSource {
  readonly name = 'bugzilla' as const;
  private readonly http: UpstreamHttpClient;
  private readonly mapping: BugzillaMappingContext;
  private readonly fields: string;

  constructor(
    private readonly config: BugzillaConfig,
    ctx: SourceContext,
  ) {
    this.http = new UpstreamHttpClient(
      'bugzilla',
      config.url,
      ctx.policy,
      ctx.observer,
      mapBugzillaError,
    );
    this.fields = [...BUGZILLA_FIELDS, ...(config.accountField ? [config.accountField] : [])].join(
      ',',
    );
    this.mapping = {
      siteUrl: config.url,
      accountField: config.accountField,
      links: ctx.links,
      ...vocabularyFor(
        'bugzilla',
        ctx,
        { defaults: DEFAULT_BUGZILLA_STATUS, overrides: config.statusMap },
        { defaults: DEFAULT_BUGZILLA_SEVERITY, overrides: config.severityMap },
      ),
    };
  }

  async *fetchUpdatedSince(
    since: Date | null,
    options: FetchOptions = {},
  ): AsyncGenerator<FetchPage> {
    let offset = 0;
    let largestPage = 0;
    for (;;) {
      const params = this.params();
      if (since) params.set('last_change_time', since.toISOString().replace(/\.\d{3}Z$/, 'Z'));
      params.set('order', 'changeddate,bug_id');
      params.set('limit', String(this.config.pageSize));
      params.set('offset', String(offset));
      const records = await this.search(params, options.signal);
      if (records.length > 0) yield { records };
      offset += records.length;
      // Servers cap `limit` silently, so a page is only "short" against the largest seen so far;
      // a first page below `limit` costs one more (empty) request to confirm the end.
      if (records.length === 0 || records.length < largestPage) return;
      largestPage = records.length;
    }
  }

  async fetchByKeys(keys: string[], options: FetchOptions = {}): Promise<SourceRecord[]> {
    const found: SourceRecord[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      const params = this.params();
      for (const key of keys.slice(i, i + 100)) params.append('id', key);
      found.push(...(await this.search(params, options.signal)));
    }
    return found;
  }

  async fetchTimeline(key: string, options: FetchOptions = {}): Promise<TimelineEntry[]> {
    const path = `rest/bug/${encodeURIComponent(key)}/comment`;
    const params = new URLSearchParams({ api_key: this.config.apiKey });
    const response = await this.http.request({ path, params, signal: options.signal });
    const body = parsePayload(bugzillaCommentsSchema, response.body, {
      source: 'bugzilla',
      url: `${this.config.url}/${path}`,
      record: key,
    });
    return (body.bugs[key]?.comments ?? [])
      .filter((c) => !c.is_private)
      .map((c) => ({
        at: parseOffsetTimestamp(c.creation_time ?? c.time ?? '')?.toISOString() ?? '',
        author: c.creator ?? null,
        text: c.text ?? '',
      }));
  }

  async healthCheck(options: FetchOptions = {}): Promise<void> {
    const params = this.params();
    params.set('limit', '1');
    params.set('include_fields', 'id');
    await this.http.request({ path: 'rest/bug', params, signal: options.signal });
  }

  private params(): URLSearchParams {
    const params = new URLSearchParams(this.config.query);
    params.set('api_key', this.config.apiKey);
    params.set('include_fields', this.fields);
    return params;
  }

  private async search(params: URLSearchParams, signal?: AbortSignal): Promise<SourceRecord[]> {
    const response = await this.http.request({ path: 'rest/bug', params, signal });
    const url = `${this.config.url}/rest/bug`;
    const body = parsePayload(bugzillaSearchSchema, response.body, { source: 'bugzilla', url });
    return body.bugs.map((raw) =>
      mapBugzillaBug(
        parsePayload(bugzillaBugSchema, raw, { source: 'bugzilla', url, record: rawId(raw, 'id') }),
        this.mapping,
      ),
    );
  }
}
