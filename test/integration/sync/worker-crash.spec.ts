import type { Job } from 'bull';
import { QueueModule } from '../../../src/sync/queue.module.js';
import type { SyncJobData } from '../../../src/sync/sync.constants.js';
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

/** Everything but the prefix, so two prefixes' data can be compared. */
function relative(dump: Record<string, unknown>, prefix: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(dump).map(([k, v]) => [k.slice(prefix.length), v]));
}

describe('sync worker killed mid-job', () => {
  const reference = uniquePrefix('crash-ref');
  const prefix = uniquePrefix('crash');
  let sims: RunningSimulators;
  let queueCtx: TestContext;
  const workers: Spawned[] = [];

  beforeAll(async () => {
    sims = await startSimulators({ seed: 41, glpi: 400, jira: 40, bugzilla: 40 });
    const ref = await createTestContext(testEnv(reference, { ...sims.env, GLPI_PAGE_SIZE: '20' }), [
      SyncRunnerModule,
    ]);
    await ref.app.get(SyncService).run('glpi', 'full');
    await ref.close();
    queueCtx = await createTestContext(testEnv(prefix, sims.env), [QueueModule], ['scheduler']);
  });

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await queueCtx.close();
    await sims.close();
    await deletePrefix(reference);
    await deletePrefix(prefix);
  });

  it('should have its job picked up by another worker, ending with the data of a fault-free run', async () => {
    const env = testEnv(prefix, {
      ...sims.env,
      GLPI_PAGE_SIZE: '20',
      SYNC_JOB_LOCK_MS: '2000',
      SYNC_STALLED_CHECK_MS: '1000',
    });
    sims.glpi.faults.add({ kind: 'slow', path: LISTING_PATH.glpi, delayMs: 150, times: Infinity });
    const first = spawnNode(['dist/main.js', 'worker'], env);
    workers.push(first);
    const job: Job<SyncJobData> = await queueCtx.app.get(SyncQueue).enqueue('glpi', 'full');

    await waitFor('the first worker to be mid-listing', async () => {
      const progress = (await queueCtx.app.get(SyncQueue).queue.getJob(job.id))?.progress() as
        { fetched?: number } | undefined;
      return (progress?.fetched ?? 0) >= 60;
    });
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await (await queueCtx.app.get(SyncQueue).queue.getJob(job.id))!.getState()).toBe(
      'active',
    );

    const second = spawnNode(['dist/main.js', 'worker'], env);
    workers.push(second);
    const finished = await waitFor(
      'the job to complete on the second worker',
      async () => {
        const current = await queueCtx.app.get(SyncQueue).queue.getJob(job.id);
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
  });
});
