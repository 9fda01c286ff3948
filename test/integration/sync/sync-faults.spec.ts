import type { Source } from '../../../src/cases/case.model.js';
import { UpstreamAuthError } from '../../../src/sources/upstream.errors.js';
import { SyncService } from '../../../src/sync/sync.service.js';
import { SyncRunnerModule } from '../../../src/sync/worker.module.js';
import { startSimulators, type FaultKind, type RunningSimulators } from '../../simulators/index.js';
import {
  createTestContext,
  deletePrefix,
  dumpPrefix,
  testEnv,
  uniquePrefix,
  type TestContext,
} from '../../support/test-context.js';
import { LISTING_PATH, expectedUpstream, simulatorOf } from '../../support/upstreams.js';

/** Sync status records the failure; everything else must be byte-identical. */
const STATUS_KEYS = /:(sync|lock):/;

const TRANSIENT: FaultKind[] = ['status500', 'timeout', 'reset', 'rate-limit', 'malformed-json'];

describe(`${SyncService.name} under upstream faults`, () => {
  const prefix = uniquePrefix('sync-faults');
  let sims: RunningSimulators;
  let ctx: TestContext;
  let sync: SyncService;

  beforeAll(async () => {
    sims = await startSimulators({ seed: 31, glpi: 240, jira: 100, bugzilla: 120 });
    ctx = await createTestContext(
      testEnv(prefix, {
        ...sims.env,
        GLPI_PAGE_SIZE: '40',
        JIRA_PAGE_SIZE: '20',
        BUGZILLA_PAGE_SIZE: '25',
        UPSTREAM_TIMEOUT_MS: '400',
        UPSTREAM_RETRIES: '2',
      }),
      [SyncRunnerModule],
    );
    sync = ctx.app.get(SyncService);
    for (const source of ['glpi', 'jira', 'bugzilla'] as const) await sync.run(source, 'full');
  });

  afterAll(async () => {
    await ctx.close();
    await sims.close();
    await deletePrefix(prefix);
  });

  afterEach(() => {
    for (const source of ['glpi', 'jira', 'bugzilla'] as const)
      simulatorOf(sims, source).faults.clear();
  });

  async function expectInSync(source: Source): Promise<void> {
    const expected = expectedUpstream(sims)[source];
    expect(await ctx.store.count(source)).toBe(expected.size);
    const cases = await ctx.store.getCases([...expected.keys()].map((k) => `${source}:${k}`));
    cases.forEach((c, i) => expect(Date.parse(c!.updatedAt)).toBe([...expected.values()][i]));
  }

  describe.each(['glpi', 'jira', 'bugzilla'] as const)('%s', (source) => {
    it.each(TRANSIENT)(
      'should leave data and cursor untouched when %s persists mid-listing, after retrying',
      async (kind) => {
        const sim = simulatorOf(sims, source);
        sim.mutate(70);
        const before = await dumpPrefix(prefix, { exclude: STATUS_KEYS });
        const cursorBefore = (await ctx.store.getSyncStatus(source)).cursor;
        sim.requests.length = 0;
        // The first page is served, the rest fail: a half-finished listing.
        sim.faults.add({
          kind,
          path: LISTING_PATH[source],
          times: Infinity,
          after: 1,
          retryAfterSeconds: 0,
        });
        await expect(sync.run(source, 'incremental')).rejects.toThrow(new RegExp(`^${source}: `));
        expect(await dumpPrefix(prefix, { exclude: STATUS_KEYS })).toEqual(before);
        const status = await ctx.store.getSyncStatus(source);
        expect(status.cursor).toBe(cursorBefore);
        expect(status.lastError).toMatch(new RegExp(`^${source}: `));
        // Each failing request was tried 1 + UPSTREAM_RETRIES (2) times; GLPI reads ahead, so
        // several pages may have failed side by side.
        const attempts = new Map<string, number>();
        for (const r of sim.requests.filter((q) => q.fault === kind)) {
          attempts.set(r.query, (attempts.get(r.query) ?? 0) + 1);
        }
        expect(attempts.size).toBeGreaterThanOrEqual(1);
        for (const count of attempts.values()) expect(count).toBe(3);

        sim.faults.clear();
        await sync.run(source, 'incremental');
        await expectInSync(source);
      },
    );

    it('should recover from a single transient fault within the run', async () => {
      const sim = simulatorOf(sims, source);
      sim.mutate(5);
      sim.faults.add({ kind: 'reset', path: LISTING_PATH[source], times: 1, after: 1 });
      const summary = await sync.run(source, 'incremental');
      expect(summary.updated).toBeGreaterThanOrEqual(1);
      expect(sim.requests.filter((r) => r.fault === 'reset')).toHaveLength(1);
      await expectInSync(source);
    });

    it('should fail at once on bad credentials and change nothing', async () => {
      const sim = simulatorOf(sims, source);
      sim.mutate(3);
      const before = await dumpPrefix(prefix, { exclude: STATUS_KEYS });
      sim.requests.length = 0;
      sim.faults.add({ kind: 'bad-credentials', times: Infinity });
      await expect(sync.run(source, 'incremental')).rejects.toBeInstanceOf(UpstreamAuthError);
      expect(sim.requests.filter((r) => r.fault === 'bad-credentials')).toHaveLength(1);
      expect(await dumpPrefix(prefix, { exclude: STATUS_KEYS })).toEqual(before);
      sim.faults.clear();
      await sync.run(source, 'incremental');
      await expectInSync(source);
    });

    it('should lose nothing when records change between pages', async () => {
      const sim = simulatorOf(sims, source);
      for (const mode of ['incremental', 'full'] as const) {
        sim.faults.add({
          kind: 'change-between-pages',
          path: LISTING_PATH[source],
          times: 2,
          after: 1,
          count: 3,
        });
        const summary = await sync.run(source, mode);
        expect(summary.removed).toBe(0);
        await expectInSync(source);
      }
    });
  });

  it('should reopen an expired GLPI session once and replay the request', async () => {
    sims.glpi.mutate(4);
    sims.glpi.requests.length = 0;
    sims.glpi.faults.add({ kind: 'expire-session', path: LISTING_PATH.glpi, times: 1, after: 1 });
    await sync.run('glpi', 'incremental');
    const calls = sims.glpi.requests.map(
      (r) => `${r.path.replace('/apirest.php/', '')} ${r.status}`,
    );
    expect(calls.filter((c) => c === 'search/Ticket 401').length).toBeGreaterThanOrEqual(1);
    expect(calls.filter((c) => c.startsWith('initSession'))).toHaveLength(2);
    expect(calls.at(-1)).toBe('killSession 200');
    await expectInSync('glpi');
  });
});
