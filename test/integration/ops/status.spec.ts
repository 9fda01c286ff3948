import type { Source } from '../../../src/cases/case.model.js';
import type { StatusModel, SyncJobView } from '../../../src/ops/status/status.model.js';
import { StatusModule } from '../../../src/ops/status/status.module.js';
import { StatusService } from '../../../src/ops/status/status.service.js';
import { SyncNowService } from '../../../src/ops/status/sync-now.service.js';
import { SchedulerModule } from '../../../src/sync/scheduler.module.js';
import { startSimulators, type RunningSimulators } from '../../simulators/index.js';
import { spawnNode, waitFor, type Spawned } from '../../support/processes.js';
import { quietCron } from '../../support/quiet-cron.js';
import {
  createTestContext,
  deletePrefix,
  testEnv,
  uniquePrefix,
  type TestContext,
} from '../../support/test-context.js';
import { LISTING_PATH, expectedUpstream } from '../../support/upstreams.js';

const SOURCES: Source[] = ['glpi', 'jira', 'bugzilla'];
const DAY = 86_400_000;

const SYNC_TICK = quietCron(12);
const RECONCILE_TICK = quietCron(13);

/** The next tick of a daily UTC cron strictly after `t`. */
const nextDaily = (t: number, msOfDay: number) => {
  const today = Math.floor(t / DAY) * DAY + msOfDay;
  return today > t ? today : today + DAY;
};

describe(StatusService.name, () => {
  const prefix = uniquePrefix('status');
  let sims: RunningSimulators;
  let env: Record<string, string>;
  let scheduler: TestContext;
  let worker: Spawned | undefined;
  let registeredBetween: [number, number];

  beforeAll(async () => {
    sims = await startSimulators({ seed: 44, glpi: 120, jira: 60, bugzilla: 60 });
    env = testEnv(prefix, {
      ...sims.env,
      SYNC_BACKOFF_MS: '50',
      SYNC_CRON_GLPI: SYNC_TICK.cron,
      SYNC_CRON_JIRA: SYNC_TICK.cron,
      SYNC_CRON_BUGZILLA: SYNC_TICK.cron,
      SYNC_CRON_RECONCILE: RECONCILE_TICK.cron,
    });
    const before = Date.now();
    scheduler = await createTestContext(env, [SchedulerModule, StatusModule], ['scheduler']);
    registeredBetween = [before, Date.now()];
  });

  afterAll(async () => {
    if (worker) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    await scheduler.close();
    await sims.close();
    await deletePrefix(prefix);
  });

  const model = (now?: number): Promise<StatusModel> => scheduler.app.get(StatusService).model(now);

  const finished = async (id: string): Promise<SyncJobView> => {
    const syncNow = scheduler.app.get(SyncNowService);
    let job: SyncJobView | null = null;
    await waitFor(
      `job ${id} to finish`,
      async () => (job = await syncNow.job(id))?.done === true,
      30_000,
    );
    return job!;
  };

  it('should show never-synced sources, their schedules and the first-run jobs before any worker', async () => {
    const status = await model();
    expect(status.version).toBe('0.1.0');
    expect(status.dataAsOf).toBeNull();
    const [from, to] = registeredBetween;
    for (const s of status.sources) {
      expect(s).toMatchObject({
        lastSuccessAt: null,
        lagSeconds: null,
        lastError: null,
        consecutiveFailures: 0,
        lastSummary: null,
        running: null,
        queued: 1,
      });
      const next = (tick: { msOfDay: number }) => [from, to].map((t) => nextDaily(t, tick.msOfDay));
      expect(next(SYNC_TICK)).toContain(Date.parse(s.nextRunAt!));
      expect(next(RECONCILE_TICK)).toContain(Date.parse(s.nextReconcileAt!));
    }
    expect(status.sources.map((s) => s.source)).toEqual(SOURCES);
    // three first runs and today's snapshot wait; six sync schedules and the daily snapshot's
    // next ticks are delayed jobs
    expect(status.queue).toEqual({
      waiting: 4,
      active: 0,
      delayed: 7,
      completed: 0,
      failed: 0,
      paused: 0,
    });
  });

  it('should report last success, lag and counts once a worker has run the first syncs', async () => {
    worker = spawnNode(['dist/main.js', 'worker'], env);
    await waitFor(
      'the first syncs',
      async () => (await model()).sources.every((s) => s.lastSuccessAt !== null),
      60_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${worker!.output()}`);
    });
    const expected = expectedUpstream(sims);
    const first = await model();
    const successes = first.sources.map((s) => s.lastSuccessAt!);
    expect(first.dataAsOf).toBe([...successes].sort()[0]);
    await expect(scheduler.app.get(StatusService).dataAsOf()).resolves.toBe(first.dataAsOf);
    for (const s of first.sources) {
      expect(s.lastSummary).toMatchObject({
        mode: 'incremental',
        fetched: expected[s.source].size,
        created: expected[s.source].size,
        updated: 0,
        unchanged: 0,
        removed: 0,
      });
      expect(s.lastRunAt).not.toBeNull();
      expect(s.lastError).toBeNull();
    }
    // lag is measured from the given clock: 90.5 s after the oldest success reads 90 s
    const oldest = Date.parse(first.dataAsOf!);
    const later = await model(oldest + 90_500);
    const lagOf = (source: Source) => later.sources.find((s) => s.source === source)!.lagSeconds;
    for (const s of first.sources) {
      expect(lagOf(s.source)).toBe(
        Math.floor((oldest + 90_500 - Date.parse(s.lastSuccessAt!)) / 1000),
      );
    }
    expect(Math.max(...SOURCES.map(lagOf).map((l) => l!))).toBe(90);
  });

  it('should start one manual sync per source, say so on a second click, and report its counts', async () => {
    const syncNow = scheduler.app.get(SyncNowService);
    const [a, b] = sims.jira.issues.filter((i) => i.project === 'SUP').slice(0, 2);
    sims.jira.update(a.key, { summary: 'Status page check one' });
    sims.jira.update(b.key, { summary: 'Status page check two' });
    // a slow first listing page keeps the job running while the second click arrives
    sims.jira.faults.add({ kind: 'slow', delayMs: 800, path: LISTING_PATH.jira, times: 1 });

    const started = await syncNow.start('jira', 'user:test', 'req-status-1');
    expect(started).toMatchObject({
      started: true,
      job: { source: 'jira', mode: 'incremental', trigger: 'manual' },
    });
    const again = await syncNow.start('jira', 'user:test', 'req-status-2');
    expect(again).toMatchObject({ started: false, job: { id: started.job.id } });
    expect(again.message).toMatch(/^A sync of jira is already (queued|running)$/);

    const job = await finished(started.job.id);
    expect(job).toMatchObject({
      state: 'completed',
      done: true,
      failedReason: null,
      result: { created: 0, updated: 2, removed: 0 },
    });
    // the listing also re-reads the cases inside the cursor's overlap window, unchanged
    const counts = job.result as { fetched: number; unchanged: number };
    expect(counts.fetched).toBe(2 + counts.unchanged);
    const jira = (await model()).sources.find((s) => s.source === 'jira')!;
    expect(jira.lastSummary).toMatchObject({ fetched: counts.fetched, updated: 2 });
    expect(jira.running).toBeNull();
  });

  it('should show a failed sync with its reason, keeping the last success', async () => {
    const syncNow = scheduler.app.get(SyncNowService);
    const before = (await model()).sources.find((s) => s.source === 'bugzilla')!;
    sims.bugzilla.faults.add({ kind: 'bad-credentials', times: Infinity });
    try {
      const started = await syncNow.start('bugzilla', 'user:test', 'req-status-3');
      const job = await finished(started.job.id);
      expect(job.state).toBe('failed');
      expect(job.failedReason).toMatch(/^bugzilla: /);
      const after = (await model()).sources.find((s) => s.source === 'bugzilla')!;
      expect(after).toMatchObject({
        lastSuccessAt: before.lastSuccessAt,
        lastError: job.failedReason,
        consecutiveFailures: 1,
      });
      expect(Date.parse(after.lastErrorAt!)).toBeGreaterThan(Date.parse(before.lastSuccessAt!));
    } finally {
      sims.bugzilla.faults.clear();
    }
  });

  it('should know no job by an id it never gave', async () => {
    await expect(
      scheduler.app.get(SyncNowService).job('sync:jira:incremental:1'),
    ).resolves.toBeNull();
  });
});
