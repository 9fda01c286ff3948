import { BugzillaSimulator } from './bugzilla.simulator.js';

type Bug = Record<string, unknown>;
interface BugList {
  bugs: Bug[];
}

describe(BugzillaSimulator.name, () => {
  let bugzilla: BugzillaSimulator;
  const get = (path: string, init?: RequestInit) => fetch(`${bugzilla.url}${path}`, init);
  const withKey = (query: string) => `${query}&api_key=${bugzilla.apiKey}`;

  beforeAll(async () => {
    bugzilla = await BugzillaSimulator.start({ bugs: 300, seed: 11, maxLimit: 100 });
  });
  afterAll(() => bugzilla.close());
  beforeEach(() => bugzilla.faults.clear());

  it('should report its version', async () => {
    expect(await (await get('/rest/version')).json()).toEqual({ version: '5.0.4' });
  });

  it('should answer HTTP 400 code 306 for a bad API key', async () => {
    const res = await get('/rest/bug?product=Support&api_key=wrong');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: true,
      code: 306,
      documentation: 'https://bugzilla.readthedocs.org/en/5.0/api/',
    });
  });

  it('should ignore the API-key header and hide private bugs from anonymous callers', async () => {
    const anonymous = (await (
      await get('/rest/bug?include_fields=id&limit=0', {
        headers: { 'X-BUGZILLA-API-KEY': bugzilla.apiKey },
      })
    ).json()) as BugList;
    const authenticated = (await (
      await get(withKey('/rest/bug?include_fields=id&limit=0'))
    ).json()) as BugList;
    const privateCount = bugzilla.bugs.filter((b) => b.isPrivate).length;
    expect(privateCount).toBeGreaterThan(0);
    expect(authenticated.bugs).toHaveLength(300);
    expect(anonymous.bugs).toHaveLength(300 - privateCount);
  });

  it('should page an incremental sync in (last_change_time, id) order with an inclusive lower bound', async () => {
    const pivot = bugzilla.bugs[120];
    const since = new Date(pivot.lastChangeMs).toISOString().replace('.000Z', 'Z');
    const ids: unknown[] = [];
    for (let offset = 0; ; offset += 100) {
      const query = `/rest/bug?last_change_time=${since}&order=changeddate,bug_id&limit=100&offset=${offset}&include_fields=id,last_change_time`;
      const page = (await (await get(withKey(query))).json()) as BugList;
      ids.push(...page.bugs.map((b) => b.id));
      if (page.bugs.length < 100) break;
    }
    expect(ids).toEqual(
      bugzilla.bugs.filter((b) => b.lastChangeMs >= pivot.lastChangeMs).map((b) => b.id),
    );
  });

  it('should cap limit silently and order by bug id without an order parameter', async () => {
    const page = (await (
      await get(withKey('/rest/bug?limit=250&include_fields=id'))
    ).json()) as BugList;
    expect(page.bugs).toHaveLength(100);
    const ids = page.bugs.map((b) => b.id as number);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('should require limit with offset (code 50)', async () => {
    const res = await get(withKey('/rest/bug?offset=10'));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: true, code: 50 });
  });

  it('should filter on repeated exact-match criteria and drop unknown include_fields', async () => {
    const query =
      '/rest/bug?product=Platform&product=Internal&include_fields=id,product,nonsense&limit=0';
    const page = (await (await get(withKey(query))).json()) as BugList;
    expect(page.bugs.length).toBe(bugzilla.bugs.filter((b) => b.product !== 'Support').length);
    expect(Object.keys(page.bugs[0]).sort()).toEqual(['id', 'product']);
  });

  it('should render bug fields with UTC Z datetimes, empty resolution for open bugs and see_also URLs', async () => {
    const page = (await (await get(withKey('/rest/bug?limit=0'))).json()) as BugList;
    const open = page.bugs.find((b) => b.is_open === true)!;
    expect(open.resolution).toBe('');
    expect(open.last_change_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(open.assigned_to_detail).toMatchObject({
      id: expect.any(Number) as unknown,
      real_name: expect.any(String) as unknown,
      email: open.assigned_to,
    });
    const linked = page.bugs.find((b) =>
      (b.see_also as string[]).some((u) => u.includes('.invalid/')),
    );
    expect(linked).toBeDefined();
    const xss = page.bugs.find((b) => b.id === 1004)!;
    expect(xss.see_also).toContain('javascript:alert(1)');
    const odd = page.bugs.find((b) => b.id === 1008)!;
    expect(odd).toMatchObject({ status: 'NEEDINFO', severity: 'S1', is_open: true });
  });

  it('should key comments by bug id string and 404 unknown bugs with code 101', async () => {
    const body = (await (await get('/rest/bug/1010/comment')).json()) as {
      bugs: Record<string, { comments: Bug[] }>;
      comments: object;
    };
    expect(Object.keys(body.bugs)).toEqual(['1010']);
    expect(body.bugs['1010'].comments[0]).toMatchObject({ count: 0, bug_id: 1010 });
    expect(body.comments).toEqual({});
    const missing = await get('/rest/bug/999999');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 101 });
    const resource = await get('/rest/nothing');
    expect(resource.status).toBe(404);
    expect(await resource.json()).toMatchObject({ code: 32614 });
  });

  it('should send an ETag and answer 304 to a matching If-None-Match', async () => {
    const first = await get('/rest/bug/1011');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const second = await get('/rest/bug/1011', { headers: { 'If-None-Match': etag } });
    expect(second.status).toBe(304);
  });

  it('should record updates in the history and move the bug to the end', async () => {
    const key = bugzilla.bugs[0].key;
    bugzilla.update(key, { status: 'RESOLVED', resolution: 'WONTFIX' });
    expect(bugzilla.bugs.at(-1)!.key).toBe(key);
    const body = (await (
      await get(`/rest/bug/${key}/history?api_key=${bugzilla.apiKey}`)
    ).json()) as {
      bugs: { history: { changes: { field_name: string; added: string }[] }[] }[];
    };
    const last = body.bugs[0].history.at(-1)!;
    expect(last.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field_name: 'resolution', added: 'WONTFIX' }),
      ]),
    );
  });
});
