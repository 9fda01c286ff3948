import { JiraSimulator } from './jira.simulator.js';

interface Issue {
  id: string;
  key?: string;
  fields?: Record<string, unknown>;
}
interface EnhancedPage {
  issues: Issue[];
  nextPageToken?: string;
  isLast: boolean;
}
interface ClassicPage {
  startAt: number;
  maxResults: number;
  total: number;
  issues: Issue[];
}

const SYNC_JQL =
  'project in (SUP, OPS) AND updated >= "2000-01-01 00:00" ORDER BY updated ASC, key ASC';

describe(JiraSimulator.name, () => {
  describe('cloud', () => {
    let jira: JiraSimulator;
    let auth: string;
    const post = (path: string, body: unknown, authorization = auth) =>
      fetch(`${jira.url}${path}`, {
        method: 'POST',
        headers: { Authorization: authorization, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const get = (path: string) => fetch(`${jira.url}${path}`, { headers: { Authorization: auth } });

    beforeAll(async () => {
      jira = await JiraSimulator.start({
        flavor: 'cloud',
        issues: 200,
        seed: 3,
        userTimeZone: 'Europe/Paris',
      });
      auth = `Basic ${Buffer.from(`${jira.email}:${jira.apiToken}`).toString('base64')}`;
    });
    afterAll(() => jira.close());
    beforeEach(() => jira.faults.clear());

    it('should expose the Caseboard env for cloud', () => {
      expect(jira.env).toEqual({
        JIRA_URL: jira.url,
        JIRA_FLAVOR: 'cloud',
        JIRA_JQL: 'project in (SUP, OPS)',
        JIRA_ACCOUNT_FIELD: 'customfield_10050',
        JIRA_EMAIL: jira.email,
        JIRA_API_TOKEN: jira.apiToken,
      });
    });

    it('should answer myself with the user time zone, and 401 without valid auth', async () => {
      const me = await get('/rest/api/3/myself');
      expect(await me.json()).toMatchObject({
        accountId: expect.any(String) as unknown,
        timeZone: 'Europe/Paris',
      });
      expect((await fetch(`${jira.url}/rest/api/3/myself`)).status).toBe(401);
      const bad = await fetch(`${jira.url}/rest/api/3/myself`, {
        headers: { Authorization: 'Basic eDp5' },
      });
      expect(bad.status).toBe(401);
    });

    it('should return ids only when no fields are requested', async () => {
      const page = (await (
        await post('/rest/api/3/search/jql', { jql: 'project = SUP', maxResults: 3 })
      ).json()) as EnhancedPage;
      expect(page.issues).toHaveLength(3);
      expect(Object.keys(page.issues[0])).toEqual(['id']);
      expect(page).not.toHaveProperty('total');
    });

    it('should page through every matching issue with nextPageToken, in updated/key order', async () => {
      const seen: Issue[] = [];
      let token: string | undefined;
      for (;;) {
        const res = await post('/rest/api/3/search/jql', {
          jql: SYNC_JQL,
          fields: ['summary', 'updated'],
          maxResults: 40,
          ...(token ? { nextPageToken: token } : {}),
        });
        const page = (await res.json()) as EnhancedPage;
        seen.push(...page.issues);
        if (page.isLast) {
          expect(page).not.toHaveProperty('nextPageToken');
          break;
        }
        token = page.nextPageToken;
      }
      const expected = jira.issues.filter((i) => i.project !== 'ENG').map((i) => i.key);
      expect(seen.map((i) => i.key)).toEqual(expected);
    });

    it('should return requested-but-empty fields as null and render ADF descriptions with link marks', async () => {
      const linked = jira.issues.find((i) =>
        i.remoteLinks.some((l) => typeof l.target !== 'string'),
      )!;
      const res = await post('/rest/api/3/search/jql', {
        jql: `key = ${linked.key}`,
        fields: [
          'description',
          'duedate',
          'resolutiondate',
          'assignee',
          'updated',
          'customfield_10050',
        ],
      });
      const [issue] = ((await res.json()) as EnhancedPage).issues;
      const fields = issue.fields!;
      expect(Object.keys(fields).sort()).toEqual([
        'assignee',
        'customfield_10050',
        'description',
        'duedate',
        'resolutiondate',
        'updated',
      ]);
      expect(fields.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$/);
      expect(JSON.stringify(fields.description)).toMatch(
        /"marks":\[\{"type":"link","attrs":\{"href":"http:\/\/(glpi|bugzilla)\.invalid/,
      );
    });

    it('should reject startAt in the body, unbounded JQL, bad JQL and the removed search API', async () => {
      const startAt = await post('/rest/api/3/search/jql', { jql: 'project = SUP', startAt: 0 });
      expect(startAt.status).toBe(400);
      expect(await startAt.json()).toEqual({
        errorMessages: [
          'Invalid request payload. Refer to the REST API documentation and try again.',
        ],
      });
      const unbounded = await post('/rest/api/3/search/jql', { jql: 'ORDER BY updated ASC' });
      expect(unbounded.status).toBe(400);
      const bad = await post('/rest/api/3/search/jql', { jql: 'project = = SUP' });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({
        errorMessages: [expect.stringMatching(/^Error in the JQL Query: /) as unknown],
        errors: {},
      });
      const old = await post('/rest/api/3/search', { jql: 'project = SUP' });
      expect(old.status).toBe(410);
      expect(await old.json()).toMatchObject({ errorMessages: [expect.any(String) as unknown] });
    });

    it('should read JQL date literals in the user time zone at minute precision', async () => {
      const pivot = jira.issues[100];
      const literal = jira.userTimeZone.formatNaive(pivot.updatedMs).slice(0, 16);
      const jql = `updated >= "${literal}" ORDER BY updated ASC, key ASC`;
      const res = await get(
        `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&maxResults=5000&fields=key`,
      );
      const page = (await res.json()) as EnhancedPage;
      const floor = Math.floor(pivot.updatedMs / 60_000) * 60_000;
      expect(page.issues.map((i) => i.key)).toEqual(
        jira.issues.filter((i) => i.updatedMs >= floor).map((i) => i.key),
      );
    });

    it('should serve remote links, comments and 404 for unknown issues', async () => {
      const linked = jira.issues.find((i) => i.remoteLinks.length > 0)!;
      const links = (await (
        await get(`/rest/api/3/issue/${linked.key}/remotelink`)
      ).json()) as unknown[];
      expect(links[0]).toMatchObject({
        application: { name: expect.any(String) as unknown },
        object: { url: expect.any(String) as unknown },
      });
      const comments = await get(`/rest/api/3/issue/${linked.key}/comment`);
      expect(await comments.json()).toMatchObject({
        startAt: 0,
        total: expect.any(Number) as unknown,
        comments: expect.any(Array) as unknown,
      });
      const missing = await get('/rest/api/3/issue/SUP-99999');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({
        errorMessages: ['Issue does not exist or you do not have permission to see it.'],
        errors: {},
      });
    });

    it('should plant XSS and unknown vocabulary', () => {
      expect(jira.issue('10004')!.summary).toContain('<script>alert(1)</script>');
      expect(jira.issue('10004')!.remoteLinks.map((l) => l.target)).toContain(
        'javascript:alert(1)',
      );
      const odd = jira.issue('10008')!;
      expect(odd.priority.name).toBe('P0-Emergency');
      expect(odd.status.category).toBe('undefined');
    });

    it('should answer 429 with Retry-After under a rate-limit fault', async () => {
      jira.faults.add({ kind: 'rate-limit', retryAfterSeconds: 7 });
      const res = await post('/rest/api/3/search/jql', { jql: 'project = SUP' });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(await res.json()).toMatchObject({ errorMessages: [expect.any(String) as unknown] });
    });

    it('should move a mutated issue to the end of the sync order', () => {
      const [key] = jira.mutate(1);
      expect(jira.issues.at(-1)!.key).toBe(key);
      jira.update(key, { status: 'Done' });
      expect(jira.issue(key)!.resolvedMs).not.toBeNull();
    });
  });

  describe('datacenter', () => {
    let jira: JiraSimulator;
    const get = (path: string, authorization = `Bearer ${jira.pat}`) =>
      fetch(`${jira.url}${path}`, { headers: { Authorization: authorization } });

    beforeAll(async () => {
      jira = await JiraSimulator.start({ flavor: 'datacenter', issues: 200, seed: 3 });
    });
    afterAll(() => jira.close());

    it('should cap maxResults silently and echo the capped value with a total', async () => {
      const res = await get(
        `/rest/api/2/search?jql=${encodeURIComponent(SYNC_JQL)}&startAt=10&maxResults=500`,
      );
      const page = (await res.json()) as ClassicPage;
      const total = jira.issues.filter((i) => i.project !== 'ENG').length;
      expect(page).toMatchObject({ startAt: 10, maxResults: 50, total });
      expect(page.issues).toHaveLength(50);
      expect(page.issues[0].fields).toHaveProperty('summary');
    });

    it('should render DC users and wiki-markup descriptions', async () => {
      const issue = jira.issues.find((i) => i.assignee !== null)!;
      const body = (await (
        await get(`/rest/api/2/issue/${issue.key}?fields=assignee,description`)
      ).json()) as Issue;
      expect(body.fields!.assignee).toMatchObject({
        name: expect.any(String) as unknown,
        key: expect.any(String) as unknown,
        emailAddress: expect.any(String) as unknown,
      });
      expect(typeof body.fields!.description).toBe('string');
    });

    it('should require Bearer PAT auth and have no v3 API or enhanced search', async () => {
      expect((await get('/rest/api/2/myself')).status).toBe(200);
      expect((await get('/rest/api/2/myself', 'Bearer wrong')).status).toBe(401);
      expect((await get('/rest/api/3/myself')).status).toBe(404);
      expect((await get('/rest/api/2/search/jql?jql=project=SUP')).status).toBe(404);
    });

    it('should hide projects from anonymous callers', async () => {
      const res = await fetch(
        `${jira.url}/rest/api/2/search?jql=${encodeURIComponent('project = SUP')}`,
      );
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        errorMessages: ["The value 'SUP' does not exist for the field 'project'."],
        errors: {},
      });
    });
  });
});
