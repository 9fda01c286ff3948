import { SOURCES, serializeCase, type SupportCase } from '../../../src/cases/case.model.js';
import { supportCaseSchema } from '../../../src/cases/case.schema.js';
import { SyncService } from '../../../src/sync/sync.service.js';
import { SyncRunnerModule } from '../../../src/sync/worker.module.js';
import { startSimulators, type RunningSimulators } from '../../simulators/index.js';
import {
  createTestContext,
  deletePrefix,
  testEnv,
  uniquePrefix,
  type TestContext,
} from '../../support/test-context.js';
import { expectedUpstream } from '../../support/upstreams.js';

async function stored(ctx: TestContext): Promise<SupportCase[]> {
  const all: SupportCase[] = [];
  for await (const batch of ctx.store.scan()) all.push(...batch);
  return all;
}

describe(SyncService.name, () => {
  const prefix = uniquePrefix('sync-run');
  let sims: RunningSimulators;
  let ctx: TestContext;
  let sync: SyncService;

  beforeAll(async () => {
    sims = await startSimulators({ seed: 21, glpi: 400, jira: 120, bugzilla: 120 });
    ctx = await createTestContext(
      testEnv(prefix, {
        ...sims.env,
        GLPI_PAGE_SIZE: '60',
        JIRA_PAGE_SIZE: '30',
        BUGZILLA_PAGE_SIZE: '40',
      }),
      [SyncRunnerModule],
    );
    sync = ctx.app.get(SyncService);
  });

  afterAll(async () => {
    await ctx.close();
    await sims.close();
    await deletePrefix(prefix);
  });

  it('should store every upstream case on a first sync of each source', async () => {
    for (const source of SOURCES) {
      const summary = await sync.run(source, 'incremental');
      const expected = expectedUpstream(sims)[source];
      expect(summary).toMatchObject({
        source,
        fetched: expected.size,
        created: expected.size,
        updated: 0,
        removed: 0,
      });
    }
    const cases = await stored(ctx);
    const expected = expectedUpstream(sims);
    expect(cases).toHaveLength(expected.glpi.size + expected.jira.size + expected.bugzilla.size);
    for (const c of cases) {
      expect(supportCaseSchema.safeParse(JSON.parse(serializeCase(c))).error).toBeUndefined();
      const got = Date.parse(c.updatedAt);
      expect({ key: c.key, at: got }).toEqual({ key: c.key, at: expected[c.source].get(c.key) });
    }
  });

  it("should keep the upstream's due date beside the case, outside the exported model", async () => {
    const ticket = sims.glpi.tickets.find((t) => t.timeToResolve !== null)!;
    const raw = (await ctx.store.getStored([`glpi:${ticket.id}`])).get(`glpi:${ticket.id}`)!;
    expect(Date.parse((raw.value as { dueAt?: string }).dueAt!)).toBe(
      sims.glpi.timezone.readBack(ticket.timeToResolve!),
    );
    const exported = (await stored(ctx)).find((c) => c.id === `glpi:${ticket.id}`)!;
    expect(JSON.parse(serializeCase(exported))).not.toHaveProperty('dueAt');
    expect(supportCaseSchema.safeParse(JSON.parse(serializeCase(exported))).error).toBeUndefined();
  });

  it('should store cross-links on both sides, whichever system holds the link', async () => {
    const cases = await stored(ctx);
    const byId = new Map(cases.map((c) => [c.id, c]));
    const crossLinked = cases.filter((c) =>
      c.links.some((l) => l.source !== c.source && byId.has(`${l.source}:${l.key}`)),
    );
    expect(crossLinked.length).toBeGreaterThan(10);
    for (const c of crossLinked) {
      for (const link of c.links.filter((l) => byId.has(`${l.source}:${l.key}`))) {
        const other = byId.get(`${link.source}:${link.key}`)!;
        expect(other.links).toContainEqual({ source: c.source, key: c.key });
      }
    }
    expect(new Set(crossLinked.map((c) => c.source)).size).toBe(3);
  });

  it('should fetch only recent changes on an incremental sync and apply them', async () => {
    const before = await ctx.store.getSyncStatus('glpi');
    const changed = sims.glpi.mutate(7);
    const summary = await sync.run('glpi', 'incremental');
    expect(summary.updated).toBe(7);
    expect(summary.created).toBe(0);
    expect(summary.fetched).toBeLessThan(50);
    const after = await ctx.store.getSyncStatus('glpi');
    expect(Date.parse(after.cursor!)).toBeGreaterThan(Date.parse(before.cursor!));
    for (const key of changed) {
      const c = await ctx.store.getCase(`glpi:${key}`);
      expect(Date.parse(c!.updatedAt)).toBe(expectedUpstream(sims).glpi.get(key));
    }
  });

  it('should change nothing when nothing changed upstream', async () => {
    const summary = await sync.run('jira', 'incremental');
    expect(summary.created + summary.updated + summary.removed).toBe(0);
  });

  it('should remove a case deleted upstream only on a full sync', async () => {
    const victim = String(sims.bugzilla.bugs.find((b) => b.product === 'Support')!.id);
    sims.bugzilla.remove(victim);
    const incremental = await sync.run('bugzilla', 'incremental');
    expect(incremental.removed).toBe(0);
    expect(await ctx.store.getCase(`bugzilla:${victim}`)).not.toBeNull();
    const full = await sync.run('bugzilla', 'full');
    expect(full.removed).toBe(1);
    expect(full.fetched).toBe(expectedUpstream(sims).bugzilla.size);
    expect(await ctx.store.getCase(`bugzilla:${victim}`)).toBeNull();
    expect(await ctx.store.count('bugzilla')).toBe(expectedUpstream(sims).bugzilla.size);
  });

  it('should keep the per-source id sets and the change feed in step with the cases', async () => {
    const cases = await stored(ctx);
    for (const source of SOURCES) {
      const ids = cases.filter((c) => c.source === source).map((c) => c.id);
      expect((await ctx.store.ids(source)).sort()).toEqual(ids.sort());
    }
    const { version } = await ctx.store.changedSince(0);
    const inScope = expectedUpstream(sims).jira;
    const changed = sims.jira.mutate(12).filter((key) => inScope.has(key));
    await sync.run('jira', 'incremental');
    const delta = await ctx.store.changedSince(version);
    expect(delta.version).toBe(version + 1);
    expect(delta.ids.sort()).toEqual(changed.map((k) => `jira:${k}`).sort());
    // A run that changes nothing leaves the version alone.
    await sync.run('jira', 'incremental');
    expect((await ctx.store.changedSince(delta.version)).ids).toEqual([]);
  });
});
