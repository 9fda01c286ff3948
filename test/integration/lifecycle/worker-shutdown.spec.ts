import type { Job } from 'bull';
import { QueueModule } from '../../../src/sync/queue.module.js';
import { syncLockName, type SyncJobData } from '../../../src/sync/sync.constants.js';
import { SyncQueue } from '../../../src/sync/sync.queue.js';
import { SyncService } from '../../../src/sync/sync.service.js';
import { SyncRunnerModule } from '../../../src/sync/worker.module.js';
import { startSimulators, type RunningSimulators } from '../../simulators/index.js';
import { spawnNode, waitFor, type Spawned } from '../../support/processes.js';
import {
  createTestContext,
  deletePrefix,
  dumpPrefix,
  testEnv,
  uniquePrefix,
  type TestContext,
} from '../../support/test-context.js';
import { LISTING_PATH } from '../../support/upstreams.js';

const DATA_ONLY = /:(sync|lock|bull):/;
/** The contract: a SIGTERM'd process is gone within 30 s. */
const EXIT_WITHIN_MS = 30_000;

function relative(dump: Record<string, unknown>, prefix: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(dump).map(([k, v]) => [k.slice(prefix.length), v]));
}

describe('sync worker stopped with SIGTERM mid-job', () => {
  const reference = uniquePrefix('term-ref');
  const prefixes: string[] = [];
  const contexts: TestContext[] = [];
  const workers: Spawned[] = [];
  let sims: RunningSimulators;

  beforeAll(async () => {
    sims = await startSimulators({ seed: 41, glpi: 400, jira: 20, bugzilla: 20 });
    const ref = await createTestContext(testEnv(reference, { ...sims.env, GLPI_PAGE_SIZE: '20' }), [
      SyncRunnerModule,
    ]);
    await ref.app.get(SyncService).run('glpi', 'full');
    await ref.close();
  });

  afterEach(() => sims.glpi.faults.clear());

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    for (const c of contexts) await c.close();
    await sims.close();
    for (const p of [reference, ...prefixes]) await deletePrefix(p);
  });

  async function setup(name: string, extra: Record<string, string>) {
    const prefix = uniquePrefix(name);
    prefixes.push(prefix);
    const ctx = await createTestContext(testEnv(prefix, sims.env), [QueueModule], ['scheduler']);
    contexts.push(ctx);
    const queue = ctx.app.get(SyncQueue);
    const env = testEnv(prefix, {
      ...sims.env,
      GLPI_PAGE_SIZE: '20',
      LOG_LEVEL: 'info',
      ...extra,
    });
    const start = (roles = 'worker') => {
      const worker = spawnNode(['dist/main.js', roles], env);
      workers.push(worker);
      return worker;
    };
    const fetchedSoFar = async (job: Job<SyncJobData>) => {
      const progress = (await queue.queue.getJob(job.id))?.progress() as
        { fetched?: number } | undefined;
      return progress?.fetched ?? 0;
    };
    return { prefix, ctx, queue, start, fetchedSoFar };
  }

  async function terminate(worker: Spawned): Promise<{ code: number | null; tookMs: number }> {
    const sent = Date.now();
    worker.child.kill('SIGTERM');
    const code = await worker.exited;
    return { code, tookMs: Date.now() - sent };
  }

  it('should interrupt a long listing, put the job back in the queue unharmed, and let another worker finish it', async () => {
    // 20 pages of 300 ms: a 2 s drain (interrupt point at 1.6 s) cannot finish the listing.
    const { prefix, ctx, queue, start, fetchedSoFar } = await setup('term-abort', {
      SHUTDOWN_TIMEOUT_MS: '2000',
    });
    sims.glpi.faults.add({ kind: 'slow', path: LISTING_PATH.glpi, delayMs: 300, times: Infinity });
    const first = start();
    const job = await queue.enqueue('glpi', 'full');
    await waitFor(
      'the first worker to be mid-listing',
      async () => (await fetchedSoFar(job)) >= 60,
    );

    const { code, tookMs } = await terminate(first);
    expect({ code, output: first.output() }).toMatchObject({ code: 0 });
    expect(tookMs).toBeLessThan(EXIT_WITHIN_MS);
    expect(first.output()).toContain('SIGTERM: draining, 1 sync job running');
    expect(first.output()).toContain('interrupting 1 sync job running');
    expect(first.output()).toContain('shut down cleanly');

    // Released, not stalled: back in wait at once, lease free, attempt not spent, nothing written.
    const released = (await queue.queue.getJob(job.id))!;
    expect(await released.getState()).toBe('waiting');
    expect(released.attemptsMade).toBe(0);
    expect(released.failedReason).toContain('interrupted by worker shutdown');
    expect(await ctx.store.lockHolder(syncLockName('glpi'))).toBeNull();
    expect(await ctx.store.ids('glpi')).toEqual([]);
    expect(await ctx.store.getCursor('glpi')).toBeNull();

    sims.glpi.faults.clear();
    const second = start();
    const finished = await waitFor(
      'the job to complete on the second worker',
      async () => {
        const current = await queue.queue.getJob(job.id);
        const state = await current?.getState();
        if (state === 'failed')
          throw new Error(`job failed: ${current?.failedReason}\n${second.output()}`);
        return state === 'completed' ? current : undefined;
      },
      60_000,
    );
    expect(finished.returnvalue).toMatchObject({ source: 'glpi', mode: 'full', fetched: 400 });
    expect(relative(await dumpPrefix(prefix, { exclude: DATA_ONLY }), prefix)).toEqual(
      relative(await dumpPrefix(reference, { exclude: DATA_ONLY }), reference),
    );
    expect(await terminate(second)).toMatchObject({ code: 0 });
  });

  it('should let a job near its end finish before exiting, and take no new job meanwhile', async () => {
    const { prefix, queue, start, fetchedSoFar } = await setup('term-finish', {
      SHUTDOWN_TIMEOUT_MS: '20000',
    });
    // About five pages of 200 ms are left when the signal comes: well within the timeout.
    sims.glpi.faults.add({ kind: 'slow', path: LISTING_PATH.glpi, delayMs: 200, times: Infinity });
    const worker = start();
    const job = await queue.enqueue('glpi', 'full');
    await waitFor('the worker to be near the end', async () => (await fetchedSoFar(job)) >= 300);

    const sent = Date.now();
    worker.child.kill('SIGTERM');
    await waitFor('the worker to stop taking jobs', () =>
      Promise.resolve(worker.output().includes('stopped taking jobs')),
    );
    const later = await queue.enqueue('bugzilla', 'full');
    const code = await worker.exited;
    expect({ code, output: worker.output() }).toMatchObject({ code: 0 });
    expect(Date.now() - sent).toBeLessThan(EXIT_WITHIN_MS);
    expect(worker.output()).toContain('SIGTERM: draining, 1 sync job running');
    expect(worker.output()).not.toContain('interrupting');

    const done = (await queue.queue.getJob(job.id))!;
    expect(await done.getState()).toBe('completed');
    expect(done.returnvalue).toMatchObject({ source: 'glpi', mode: 'full', fetched: 400 });
    expect(relative(await dumpPrefix(prefix, { exclude: DATA_ONLY }), prefix)).toEqual(
      relative(await dumpPrefix(reference, { exclude: DATA_ONLY }), reference),
    );
    expect(await (await queue.queue.getJob(later.id))!.getState()).toBe('waiting');
  });

  it('should close a scheduler cleanly', async () => {
    const { start } = await setup('term-sched', {});
    const scheduler = start('scheduler');
    await waitFor('the scheduler to start', () =>
      Promise.resolve(scheduler.output().includes('started (roles: scheduler)')),
    );
    const { code, tookMs } = await terminate(scheduler);
    expect({ code, output: scheduler.output() }).toMatchObject({ code: 0 });
    expect(tookMs).toBeLessThan(EXIT_WITHIN_MS);
    expect(scheduler.output()).toContain('SIGTERM: draining, nothing in flight');
    expect(scheduler.output()).toContain('shut down cleanly');
  });
});
