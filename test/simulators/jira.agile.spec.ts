import { JiraSimulator } from './jira.simulator.js';

interface Page<T> {
  startAt: number;
  maxResults: number;
  total: number;
  isLast: boolean;
  values: T[];
}

describe('JIRA simulator: Agile endpoints and changelogs', () => {
  let cloud: JiraSimulator;
  let dc: JiraSimulator;
  const basic = () =>
    `Basic ${Buffer.from('caseboard-bot@example.test:sim-jira-api-token').toString('base64')}`;
  const get = async <T>(sim: JiraSimulator, path: string, authorization?: string) => {
    const auth = authorization ?? (sim === cloud ? basic() : 'Bearer sim-jira-pat');
    const response = await fetch(`${sim.url}${path}`, { headers: { Authorization: auth } });
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    [cloud, dc] = await Promise.all([
      JiraSimulator.start({ flavor: 'cloud', issues: 5 }),
      JiraSimulator.start({ flavor: 'datacenter', issues: 5 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([cloud.close(), dc.close()]);
  });

  it('should refuse bad credentials with 401', async () => {
    const answer = await get(cloud, '/rest/agile/1.0/board', 'Basic bm9wZTpub3Bl');
    expect(answer.status).toBe(401);
  });

  it('should list boards by type, and 404 an unknown one in the JIRA envelope', async () => {
    const scrum = await get<Page<{ id: number; type: string }>>(
      cloud,
      '/rest/agile/1.0/board?type=scrum',
    );
    expect(scrum.body.values.map((b) => [b.id, b.type])).toEqual([
      [7, 'scrum'],
      [9, 'scrum'],
    ]);
    const missing = await get(cloud, '/rest/agile/1.0/board/99/configuration');
    expect(missing).toEqual({
      status: 404,
      body: {
        errorMessages: ['Board does not exist or you do not have permission to see it.'],
        errors: {},
      },
    });
  });

  it("should give each flavour's usual story-points field in the board configuration", async () => {
    type Config = { estimation: { field: { fieldId: string } } };
    const [c, d] = await Promise.all([
      get<Config>(cloud, '/rest/agile/1.0/board/7/configuration'),
      get<Config>(dc, '/rest/agile/1.0/board/7/configuration'),
    ]);
    expect(c.body.estimation.field.fieldId).toBe('customfield_10016');
    expect(d.body.estimation.field.fieldId).toBe('customfield_10002');
  });

  it('should page sprints two at a time, filtered by state', async () => {
    const first = await get<Page<{ id: number }>>(
      cloud,
      '/rest/agile/1.0/board/7/sprint?state=closed',
    );
    expect(first.body).toMatchObject({ startAt: 0, maxResults: 2, total: 3, isLast: false });
    expect(first.body.values.map((s) => s.id)).toEqual([69, 70]);
    const second = await get<Page<{ id: number }>>(
      cloud,
      '/rest/agile/1.0/board/7/sprint?state=closed&startAt=2',
    );
    expect(second.body.values.map((s) => s.id)).toEqual([71]);
    expect(second.body.isLast).toBe(true);
    expect((await get(cloud, '/rest/agile/1.0/board/8/sprint')).status).toBe(400);
  });

  it('should list only the issues in a sprint now on the agile resource', async () => {
    const now = await get<{ issues: { key: string }[] }>(cloud, '/rest/agile/1.0/sprint/72/issue');
    expect(now.body.issues.map((i) => i.key)).toEqual(['SPR-2', 'SPR-6', 'SPR-7', 'SPR-8']);
  });

  it('should page a Cloud changelog, oldest first; Data Center only expands it on the issue', async () => {
    type Changelog = Page<{ created: string; items: { field: string }[] }>;
    const first = await get<Changelog>(cloud, '/rest/api/3/issue/SPR-1/changelog?maxResults=100');
    expect(first.body).toMatchObject({ startAt: 0, maxResults: 2, total: 3, isLast: false });
    const rest = await get<Changelog>(cloud, '/rest/api/3/issue/SPR-1/changelog?startAt=2');
    expect(rest.body.values.map((h) => h.items[0].field)).toEqual(['status']);
    expect(first.body.values[0].created).toBe('2026-10-20T10:00:00.000+0000');

    expect((await get(dc, '/rest/api/2/issue/SPR-1/changelog')).status).toBe(404);
    const expanded = await get<{ changelog: { total: number; histories: unknown[] } }>(
      dc,
      '/rest/api/2/issue/SPR-1?expand=changelog&fields=created',
    );
    expect(expanded.body.changelog.total).toBe(3);
    expect(expanded.body.changelog.histories).toHaveLength(3);
  });
});
