import { QueueModule } from '../../../src/sync/queue.module.js';
import { SchedulerModule } from '../../../src/sync/scheduler.module.js';
import { SyncQueue } from '../../../src/sync/sync.queue.js';
import { SyncScheduler } from '../../../src/sync/sync.scheduler.js';
import {
  createTestContext,
  deletePrefix,
  testEnv,
  uniquePrefix,
  type TestContext,
} from '../../support/test-context.js';

const UPSTREAMS = {
  GLPI_URL: 'http://127.0.0.1:9/apirest.php',
  JIRA_URL: 'http://127.0.0.1:9',
  BUGZILLA_URL: 'http://127.0.0.1:9',
};

describe(SyncScheduler.name, () => {
  const prefix = uniquePrefix('scheduler');
  const contexts: TestContext[] = [];

  afterEach(async () => {
    while (contexts.length > 0) await contexts.pop()!.close();
  });
  afterAll(() => deletePrefix(prefix));

  async function scheduler(extra: Record<string, string> = {}): Promise<TestContext> {
    const ctx = await createTestContext(
      testEnv(prefix, { ...UPSTREAMS, ...extra }),
      [SchedulerModule, QueueModule],
      ['scheduler'],
    );
    contexts.push(ctx);
    return ctx;
  }

  it('should register each schedule once however many schedulers start', async () => {
    const [a] = await Promise.all([scheduler(), scheduler(), scheduler()]);
    const queue = a.app.get(SyncQueue).queue;
    const repeatable = await queue.getRepeatableJobs();
    expect(repeatable.map((r) => `${r.id} ${r.cron}`).sort()).toEqual([
      'snapshot-daily 10 0 * * *',
      'sync-bugzilla-full 30 3 * * *',
      'sync-bugzilla-incremental */5 * * * *',
      'sync-glpi-full 30 3 * * *',
      'sync-glpi-incremental */5 * * * *',
      'sync-jira-full 30 3 * * *',
      'sync-jira-incremental */5 * * * *',
    ]);
    // Each never-synced source gets one first run, not one per scheduler.
    const waiting = await queue.getJobs(['waiting', 'delayed']);
    const initial = waiting
      .filter((j) => j.data.trigger === 'initial')
      .map((j) => j.data.source)
      .sort();
    expect(initial).toEqual(['bugzilla', 'glpi', 'jira']);
  });

  it('should replace a schedule whose cron changed', async () => {
    const ctx = await scheduler({ SYNC_CRON_GLPI: '*/2 * * * *' });
    const repeatable = await ctx.app.get(SyncQueue).queue.getRepeatableJobs();
    const glpi = repeatable.filter((r) => r.id === 'sync-glpi-incremental').map((r) => r.cron);
    expect(glpi).toEqual(['*/2 * * * *']);
    expect(repeatable).toHaveLength(7);
  });
});
