import type { Source } from '../src/cases/case.model.js';
import { BUGZILLA_FIELDS } from '../src/sources/bugzilla/bugzilla.schemas.js';
import { GLPI_OPTION } from '../src/sources/glpi/glpi.schemas.js';
import { JIRA_FIELDS } from '../src/sources/jira/jira.adapter.js';

/**
 * A plain client that fetches the same listing pages a full sync asks for — same endpoints,
 * parameters and page sizes — and does nothing with them but parse the JSON. Its rate is
 * what the upstream can serve; the sync's rate is compared with it.
 */
export async function rawListing(
  source: Source,
  env: Record<string, string>,
  pageSizes: Record<Source, number>,
): Promise<number> {
  switch (source) {
    case 'glpi':
      return rawGlpi(env, pageSizes.glpi);
    case 'jira':
      return rawJira(env, pageSizes.jira);
    case 'bugzilla':
      return rawBugzilla(env, pageSizes.bugzilla);
  }
}

async function getJson(
  url: string,
  init: RequestInit = {},
): Promise<{ body: unknown; headers: Headers }> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status}`);
  return { body: await response.json(), headers: response.headers };
}

async function rawGlpi(env: Record<string, string>, size: number): Promise<number> {
  const base = env.GLPI_URL;
  const app = { 'App-Token': env.GLPI_APP_TOKEN };
  const session = (
    await getJson(`${base}/initSession`, {
      headers: { ...app, Authorization: `user_token ${env.GLPI_USER_TOKEN}` },
    })
  ).body as { session_token: string };
  const headers = { ...app, 'Session-Token': session.session_token };
  let start = 0;
  let count = 0;
  for (;;) {
    const params = new URLSearchParams();
    Object.values(GLPI_OPTION).forEach((o, i) => params.set(`forcedisplay[${i}]`, o));
    params.set('sort', GLPI_OPTION.updatedAt);
    params.set('order', 'ASC');
    params.set('range', `${start}-${start + size - 1}`);
    const { body } = await getJson(`${base}/search/Ticket?${params.toString()}`, { headers });
    const page = body as { totalcount: number; data?: unknown[] };
    const rows = page.data?.length ?? 0;
    count += rows;
    start += rows;
    if (rows === 0 || start >= page.totalcount) break;
  }
  await fetch(`${base}/killSession`, { headers });
  return count;
}

async function rawJira(env: Record<string, string>, size: number): Promise<number> {
  const cloud = env.JIRA_FLAVOR !== 'datacenter';
  const auth = cloud
    ? `Basic ${Buffer.from(`${env.JIRA_EMAIL}:${env.JIRA_API_TOKEN}`).toString('base64')}`
    : `Bearer ${env.JIRA_PAT}`;
  const headers = {
    Authorization: auth,
    'Content-Type': 'application/json',
    Accept: 'application/json',
  };
  const fields = [...JIRA_FIELDS, ...(env.JIRA_ACCOUNT_FIELD ? [env.JIRA_ACCOUNT_FIELD] : [])];
  const jql = `(${env.JIRA_JQL}) ORDER BY updated ASC, key ASC`;
  let count = 0;
  if (cloud) {
    let token: string | undefined;
    do {
      const { body } = await getJson(`${env.JIRA_URL}/rest/api/3/search/jql`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          jql,
          fields,
          maxResults: size,
          ...(token ? { nextPageToken: token } : {}),
        }),
      });
      const page = body as { issues: { key: string }[]; nextPageToken?: string; isLast?: boolean };
      count += page.issues.length;
      await remoteLinks(env, page.issues, headers);
      token = page.isLast ? undefined : page.nextPageToken;
    } while (token);
    return count;
  }
  let startAt = 0;
  for (;;) {
    const params = new URLSearchParams({
      jql,
      startAt: String(startAt),
      maxResults: String(size),
      fields: fields.join(','),
    });
    const { body } = await getJson(`${env.JIRA_URL}/rest/api/2/search?${params.toString()}`, {
      headers,
    });
    const page = body as { issues: { key: string }[]; total: number };
    count += page.issues.length;
    await remoteLinks(env, page.issues, headers);
    startAt += page.issues.length;
    if (page.issues.length === 0 || startAt >= page.total) return count;
  }
}

/**
 * The sync also reads each listed issue's remote links (no bulk API exists), so the plain
 * client asks for the same pages, with the same number in flight (UPSTREAM_CONCURRENCY).
 */
async function remoteLinks(
  env: Record<string, string>,
  issues: { key: string }[],
  headers: Record<string, string>,
): Promise<void> {
  if (env.JIRA_REMOTE_LINKS === 'false') return;
  const api = env.JIRA_FLAVOR === 'datacenter' ? 'rest/api/2' : 'rest/api/3';
  const concurrency = Number(env.UPSTREAM_CONCURRENCY ?? 4);
  let next = 0;
  const worker = async () => {
    while (next < issues.length) {
      const { key } = issues[next++];
      await getJson(`${env.JIRA_URL}/${api}/issue/${encodeURIComponent(key)}/remotelink`, {
        headers,
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function rawBugzilla(env: Record<string, string>, size: number): Promise<number> {
  let offset = 0;
  let count = 0;
  let largest = 0;
  for (;;) {
    const params = new URLSearchParams(env.BUGZILLA_QUERY ?? '');
    params.set('api_key', env.BUGZILLA_API_KEY);
    params.set(
      'include_fields',
      [
        ...BUGZILLA_FIELDS,
        ...(env.BUGZILLA_ACCOUNT_FIELD ? [env.BUGZILLA_ACCOUNT_FIELD] : []),
      ].join(','),
    );
    params.set('order', 'changeddate,bug_id');
    params.set('limit', String(size));
    params.set('offset', String(offset));
    const { body } = await getJson(`${env.BUGZILLA_URL}/rest/bug?${params.toString()}`, {
      headers: { Accept: 'application/json' },
    });
    const bugs = (body as { bugs: unknown[] }).bugs.length;
    count += bugs;
    offset += bugs;
    if (bugs === 0 || bugs < largest) return count;
    largest = bugs;
  }
}
