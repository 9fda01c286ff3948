import { DEFAULT_JIRA_PRIORITY, DEFAULT_JIRA_STATUS } from '../../cases/vocabulary.js';
import { isValidTimeZone, parseOffsetTimestamp, utcToZoned } from '../../common/time.js';
import type { JiraConfig } from '../../config/app-config.js';
import type {
  CaseSource,
  FetchOptions,
  FetchPage,
  SourceRecord,
  TimelineEntry,
} from '../case-source.port.js';
import { type UpstreamHttpClient } from '../http/upstream-http.client.js';
import { parsePayload, rawId } from '../payload.js';
import { vocabularyFor, type SourceContext } from '../source-context.js';
import { UpstreamHttpError } from '../upstream.errors.js';
import { descriptionTexts, mapJiraIssue, type JiraMappingContext } from './jira.mapper.js';
import { jiraApiBase, jiraHttpClient, searchJiraIssues } from './jira.http.js';
import {
  jiraCommentsSchema,
  jiraIssueSchema,
  jiraMyselfSchema,
  jiraRemoteLinksSchema,
} from './jira.schemas.js';

/** The issue fields a sync asks for (plus the account field when configured). */
export const JIRA_FIELDS = [
  'summary',
  'description',
  'status',
  'priority',
  'assignee',
  'reporter',
  'project',
  'components',
  'labels',
  'created',
  'updated',
  'resolutiondate',
  'issuelinks',
  'duedate',
];

const quoteKey = (key: string) =>
  /^[A-Z][A-Z0-9_]*-\d+$/.test(key) ? key : `"${key.replace(/"/g, '')}"`;

/**
 * JIRA Cloud (search/jql with nextPageToken) and Data Center (search with startAt, advancing by
 * what was returned since servers cap maxResults). JQL date literals have minute precision and
 * are read in the searching user's time zone, taken from /myself.
 */
export class JiraAdapter implements CaseSource {
  readonly name = 'jira' as const;
  private readonly http: UpstreamHttpClient;
  private readonly api: string;
  private readonly fields: string[];
  private readonly mapping: JiraMappingContext;

  constructor(
    private readonly config: JiraConfig,
    ctx: SourceContext,
  ) {
    this.http = jiraHttpClient(config, ctx.policy, ctx.observer);
    this.api = jiraApiBase(config);
    this.fields = config.accountField ? [...JIRA_FIELDS, config.accountField] : JIRA_FIELDS;
    this.mapping = {
      siteUrl: config.url,
      accountField: config.accountField,
      links: ctx.links,
      ...vocabularyFor(
        'jira',
        ctx,
        { defaults: DEFAULT_JIRA_STATUS, overrides: config.statusMap },
        { defaults: DEFAULT_JIRA_PRIORITY, overrides: config.priorityMap },
      ),
    };
  }

  async *fetchUpdatedSince(
    since: Date | null,
    options: FetchOptions = {},
  ): AsyncGenerator<FetchPage> {
    const timeZone = await this.userTimeZone(options.signal);
    const clauses: string[] = [];
    if (this.config.jql) clauses.push(`(${this.config.jql})`);
    if (since || clauses.length === 0) {
      // Cloud refuses unbounded JQL, so a full listing without a base filter still gets a bound.
      const literal = since ? utcToZoned(since, timeZone).slice(0, 16) : '1970-01-01 00:00';
      clauses.push(`updated >= "${literal}"`);
    }
    yield* this.search(`${clauses.join(' AND ')} ORDER BY updated ASC, key ASC`, options.signal);
  }

  async fetchByKeys(keys: string[], options: FetchOptions = {}): Promise<SourceRecord[]> {
    // `key in (…)` fails on a key that no longer exists, so first ask for each issue by key.
    const existing: string[] = [];
    for (const key of keys) {
      try {
        const response = await this.http.request({
          path: `${this.api}/issue/${encodeURIComponent(key)}`,
          params: new URLSearchParams({ fields: 'key' }),
          signal: options.signal,
        });
        existing.push(rawId(response.body, 'key'));
      } catch (error) {
        if (error instanceof UpstreamHttpError && error.status === 404) continue;
        throw error;
      }
    }
    const found: SourceRecord[] = [];
    for (let i = 0; i < existing.length; i += 50) {
      const list = existing
        .slice(i, i + 50)
        .map(quoteKey)
        .join(', ');
      const scope = this.config.jql ? `(${this.config.jql}) AND ` : '';
      for await (const page of this.search(
        `${scope}key in (${list}) ORDER BY key ASC`,
        options.signal,
      )) {
        found.push(...page.records);
      }
    }
    return found;
  }

  async fetchTimeline(key: string, options: FetchOptions = {}): Promise<TimelineEntry[]> {
    const path = `${this.api}/issue/${encodeURIComponent(key)}/comment`;
    const params = new URLSearchParams({ startAt: '0', maxResults: '200', orderBy: 'created' });
    const response = await this.http.request({ path, params, signal: options.signal });
    const page = parsePayload(jiraCommentsSchema, response.body, {
      source: 'jira',
      url: `${this.config.url}/${path}`,
      record: key,
    });
    return page.comments.map((c) => ({
      at: parseOffsetTimestamp(c.created)?.toISOString() ?? c.created,
      author: c.author?.displayName ?? c.author?.name ?? null,
      text: descriptionTexts(c.body).join(' ').trim(),
    }));
  }

  async healthCheck(options: FetchOptions = {}): Promise<void> {
    await this.userTimeZone(options.signal);
  }

  private async userTimeZone(signal?: AbortSignal): Promise<string> {
    const response = await this.http.request({ path: `${this.api}/myself`, signal });
    const me = parsePayload(jiraMyselfSchema, response.body, {
      source: 'jira',
      url: `${this.config.url}/${this.api}/myself`,
    });
    return me.timeZone && isValidTimeZone(me.timeZone) ? me.timeZone : 'UTC';
  }

  private async *search(jql: string, signal?: AbortSignal): AsyncGenerator<FetchPage> {
    for await (const page of searchJiraIssues(this.http, this.config, jql, this.fields, signal)) {
      yield { records: await this.mapIssues(page.issues, signal), total: page.total };
    }
  }

  private async mapIssues(raw: unknown[], signal?: AbortSignal): Promise<SourceRecord[]> {
    const url = `${this.config.url}/${this.api}/search`;
    const issues = raw.map((item) =>
      parsePayload(jiraIssueSchema, item, { source: 'jira', url, record: rawId(item, 'key') }),
    );
    const remote = await Promise.all(issues.map((issue) => this.remoteLinkUrls(issue.key, signal)));
    return issues.map((issue, i) => mapJiraIssue(issue, remote[i], this.mapping));
  }

  private async remoteLinkUrls(key: string, signal?: AbortSignal): Promise<string[]> {
    if (!this.config.remoteLinks) return [];
    const path = `${this.api}/issue/${encodeURIComponent(key)}/remotelink`;
    const response = await this.http.request({ path, signal });
    const links = parsePayload(jiraRemoteLinksSchema, response.body ?? [], {
      source: 'jira',
      url: `${this.config.url}/${path}`,
      record: key,
    });
    return links.flatMap((l) => (l.object?.url ? [l.object.url] : []));
  }
}
