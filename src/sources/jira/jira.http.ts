import type { JiraConfig, UpstreamPolicy } from '../../config/app-config.js';
import { UpstreamHttpClient } from '../http/upstream-http.client.js';
import type { UpstreamObserver } from '../http/upstream-observer.js';
import { parsePayload } from '../payload.js';
import { jiraCloudPageSchema, jiraDcPageSchema } from './jira.schemas.js';

/** The JIRA client every JIRA caller shares (the case adapter and the sprint report). */
export function jiraHttpClient(
  config: JiraConfig,
  policy: UpstreamPolicy,
  observer: UpstreamObserver,
): UpstreamHttpClient {
  const authorization =
    config.auth.kind === 'basic'
      ? `Basic ${Buffer.from(`${config.auth.email}:${config.auth.apiToken}`).toString('base64')}`
      : `Bearer ${config.auth.token}`;
  return new UpstreamHttpClient('jira', config.url, policy, observer, undefined, {
    // JIRA never challenges; without pre-emptive credentials it silently answers anonymously.
    Authorization: authorization,
    'Content-Type': 'application/json',
  });
}

/** Cloud speaks v3 (ADF); Data Center only v2. */
export const jiraApiBase = (config: JiraConfig): string =>
  config.flavor === 'cloud' ? 'rest/api/3' : 'rest/api/2';

/** Whether the configuration carries credentials (roles that do not need them may lack them). */
export function hasJiraCredentials(config: JiraConfig): boolean {
  return config.auth.kind === 'basic'
    ? config.auth.email !== '' && config.auth.apiToken !== ''
    : config.auth.token !== '';
}

/**
 * Pages of raw issues for a JQL query: Cloud search/jql with nextPageToken, Data Center search
 * with startAt, advancing by what was returned since servers cap maxResults.
 */
export async function* searchJiraIssues(
  http: UpstreamHttpClient,
  config: JiraConfig,
  jql: string,
  fields: string[],
  signal?: AbortSignal,
): AsyncGenerator<{ issues: unknown[]; total?: number }> {
  const api = jiraApiBase(config);
  if (config.flavor === 'cloud') {
    let nextPageToken: string | undefined;
    do {
      const response = await http.request({
        method: 'POST',
        path: `${api}/search/jql`,
        body: {
          jql,
          fields,
          maxResults: config.pageSize,
          ...(nextPageToken ? { nextPageToken } : {}),
        },
        signal,
      });
      const page = parsePayload(jiraCloudPageSchema, response.body, {
        source: 'jira',
        url: `${config.url}/${api}/search/jql`,
      });
      yield { issues: page.issues };
      nextPageToken =
        page.isLast === false || (page.isLast === undefined && page.nextPageToken)
          ? (page.nextPageToken ?? undefined)
          : undefined;
    } while (nextPageToken);
    return;
  }
  let startAt = 0;
  for (;;) {
    const params = new URLSearchParams({
      jql,
      startAt: String(startAt),
      maxResults: String(config.pageSize),
      fields: fields.join(','),
    });
    const response = await http.request({ path: `${api}/search`, params, signal });
    const page = parsePayload(jiraDcPageSchema, response.body, {
      source: 'jira',
      url: `${config.url}/${api}/search`,
    });
    yield { issues: page.issues, total: page.total };
    startAt += page.issues.length;
    if (page.issues.length === 0 || (page.total !== undefined && startAt >= page.total)) return;
  }
}
