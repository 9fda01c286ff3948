import type { z } from 'zod';
import type { JiraConfig, UpstreamPolicy } from '../../config/app-config.js';
import type { UpstreamHttpClient } from '../../sources/http/upstream-http.client.js';
import type { UpstreamObserver } from '../../sources/http/upstream-observer.js';
import { jiraApiBase, jiraHttpClient, searchJiraIssues } from '../../sources/jira/jira.http.js';
import { parsePayload, rawId } from '../../sources/payload.js';
import { UpstreamHttpError } from '../../sources/upstream.errors.js';
import {
  agileBoardSchema,
  agilePageSchema,
  boardConfigurationSchema,
  changelogPageSchema,
  expandedChangelogSchema,
  sprintIssueSchema,
  sprintSchema,
  type AgileBoard,
  type AgileSprint,
  type BoardConfiguration,
  type ChangeHistory,
  type SprintIssue,
} from './agile.schemas.js';
import { SprintNotFoundError } from './sprint-report.errors.js';

const AGILE = 'rest/agile/1.0';

/** JIRA Software's Agile 1.0 API plus the issue search and changelogs a sprint report needs. */
export class JiraAgileClient {
  private readonly http: UpstreamHttpClient;
  private readonly api: string;

  constructor(
    private readonly config: JiraConfig,
    policy: UpstreamPolicy,
    observer: UpstreamObserver,
  ) {
    this.http = jiraHttpClient(config, policy, observer);
    this.api = jiraApiBase(config);
  }

  async scrumBoards(signal?: AbortSignal): Promise<AgileBoard[]> {
    return this.pages(`${AGILE}/board`, { type: 'scrum' }, agileBoardSchema, signal);
  }

  async board(boardId: number, signal?: AbortSignal): Promise<AgileBoard> {
    return this.one(`${AGILE}/board/${boardId}`, agileBoardSchema, `board ${boardId}`, signal);
  }

  async configuration(boardId: number, signal?: AbortSignal): Promise<BoardConfiguration> {
    const path = `${AGILE}/board/${boardId}/configuration`;
    return this.one(path, boardConfigurationSchema, `board ${boardId}`, signal);
  }

  async sprints(
    boardId: number,
    state: 'active' | 'closed',
    signal?: AbortSignal,
  ): Promise<AgileSprint[]> {
    return this.pages(`${AGILE}/board/${boardId}/sprint`, { state }, sprintSchema, signal);
  }

  async sprint(sprintId: number, signal?: AbortSignal): Promise<AgileSprint> {
    return this.one(`${AGILE}/sprint/${sprintId}`, sprintSchema, `sprint ${sprintId}`, signal);
  }

  /**
   * Every issue that was in the sprint, through JQL: the agile `sprint/{id}/issue` resource
   * lists only the issues in it now, so those removed mid-sprint would be missing.
   */
  async sprintIssues(
    sprintId: number,
    estimationField: string | undefined,
    signal?: AbortSignal,
  ): Promise<SprintIssue[]> {
    const fields = ['summary', 'created', 'status', 'issuetype', 'parent', 'assignee'];
    if (estimationField) fields.push(estimationField);
    const url = `${this.config.url}/${this.api}/search`;
    const issues: SprintIssue[] = [];
    const jql = `sprint = ${sprintId} ORDER BY key ASC`;
    for await (const page of searchJiraIssues(this.http, this.config, jql, fields, signal)) {
      for (const raw of page.issues) {
        issues.push(
          parsePayload(sprintIssueSchema, raw, { source: 'jira', url, record: rawId(raw, 'key') }),
        );
      }
    }
    return issues;
  }

  /** The whole changelog, oldest first (Cloud pages it; Data Center expands it on the issue). */
  async changelog(key: string, signal?: AbortSignal): Promise<ChangeHistory[]> {
    const where = { source: 'jira' as const, record: key };
    if (this.config.flavor === 'datacenter') {
      const path = `${this.api}/issue/${encodeURIComponent(key)}`;
      const params = new URLSearchParams({ fields: 'created', expand: 'changelog' });
      const response = await this.http.request({ path, params, signal });
      const body = parsePayload(expandedChangelogSchema, response.body, {
        ...where,
        url: `${this.config.url}/${path}`,
      });
      return body.changelog.histories;
    }
    const path = `${this.api}/issue/${encodeURIComponent(key)}/changelog`;
    const histories: ChangeHistory[] = [];
    for (let startAt = 0; ;) {
      const params = new URLSearchParams({ startAt: String(startAt), maxResults: '100' });
      const response = await this.http.request({ path, params, signal });
      const page = parsePayload(changelogPageSchema, response.body, {
        ...where,
        url: `${this.config.url}/${path}`,
      });
      histories.push(...page.values);
      startAt += page.values.length;
      const done = page.isLast ?? (page.total === undefined ? true : startAt >= page.total);
      if (done || page.values.length === 0) return histories;
    }
  }

  private async one<T extends z.ZodType>(
    path: string,
    schema: T,
    what: string,
    signal?: AbortSignal,
  ): Promise<z.infer<T>> {
    try {
      const response = await this.http.request({ path, signal });
      return parsePayload(schema, response.body, {
        source: 'jira',
        url: `${this.config.url}/${path}`,
      });
    } catch (error) {
      // JIRA answers 404 both for what does not exist and for what the user may not see.
      if (error instanceof UpstreamHttpError && error.status === 404) {
        throw new SprintNotFoundError(`JIRA has no ${what} (or the JIRA user cannot see it)`);
      }
      throw error;
    }
  }

  private async pages<T extends z.ZodType>(
    path: string,
    query: Record<string, string>,
    schema: T,
    signal?: AbortSignal,
  ): Promise<z.infer<T>[]> {
    const url = `${this.config.url}/${path}`;
    const values: z.infer<T>[] = [];
    for (let startAt = 0; ;) {
      const params = new URLSearchParams({ ...query, startAt: String(startAt), maxResults: '50' });
      const response = await this.http.request({ path, params, signal });
      const page = parsePayload(agilePageSchema, response.body, { source: 'jira', url });
      for (const raw of page.values) {
        values.push(parsePayload(schema, raw, { source: 'jira', url, record: rawId(raw, 'id') }));
      }
      startAt += page.values.length;
      const done = page.isLast ?? (page.total === undefined ? true : startAt >= page.total);
      if (done || page.values.length === 0) return values;
    }
  }
}
