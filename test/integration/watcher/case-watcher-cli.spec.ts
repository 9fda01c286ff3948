import {
  WATCH_JOB,
  WATCH_QUEUE,
  WATCH_REPEAT_JOB_ID,
} from '../../../src/watcher/watch.constants.js';
import { aCase } from '../../../src/query/case-fixture.js';
import { MailInbox } from '../../support/mail-inbox.js';
import { runNode } from '../../support/processes.js';
import {
  createTestContext,
  deletePrefix,
  testEnv,
  uniquePrefix,
  type TestContext,
} from '../../support/test-context.js';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { WatchSchedulerModule, WatchWorkerModule } from '../../../src/watcher/watcher.module.js';
import type { WatchRunReport } from '../../../src/watcher/watch.service.js';
import { waitFor } from '../../support/processes.js';

const HOUR = 3_600_000;

describe('bin/case-watcher and the watch queue', () => {
  const prefix = uniquePrefix('watch-cli');
  let inbox: MailInbox;
  let ctx: TestContext;
  let env: Record<string, string>;

  beforeAll(async () => {
    inbox = await MailInbox.start();
    env = testEnv(prefix, {
      SMTP_URL: `smtp://127.0.0.1:${inbox.port}`,
      MAIL_FROM: 'caseboard@example.test',
      MAIL_TO: 'default:team@example.test',
      WATCH_RETRY_BASE_MS: '20',
    });
    ctx = await createTestContext(env, []);
    const now = Date.now();
    const c = aCase({
      key: 'OPS-7',
      severity: 'urgent',
      title: 'Payments <down>',
      createdAt: new Date(now - HOUR).toISOString(),
      updatedAt: new Date(now - HOUR).toISOString(),
    });
    await ctx.store.apply({
      source: 'jira',
      upserts: [{ next: c, prev: null, uid: c.key }],
      removals: [],
      cursor: null,
      summary: {
        source: 'jira',
        mode: 'incremental',
        startedAt: c.updatedAt,
        finishedAt: c.updatedAt,
        durationMs: 1,
        cursor: null,
        unknownValues: 0,
        fetched: 1,
        created: 1,
        updated: 0,
        unchanged: 0,
        removed: 0,
      },
    });
  });
  afterAll(async () => {
    await ctx.close();
    await inbox.close();
    await deletePrefix(prefix);
  });

  it('should answer --help and refuse a run without --once', async () => {
    const help = await runNode(['bin/case-watcher', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: bin\/case-watcher --once \[--dry-run\]/);
    const bare = await runNode(['bin/case-watcher'], env);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--once is required');
  });

  it('should stop on a bad watcher setting, naming it and not echoing secrets', async () => {
    const bad = await runNode(['bin/case-watcher', '--once'], {
      ...env,
      SMTP_URL: 'smtp://bot:hunter2secret@127.0.0.1:1',
      MAIL_FROM: '',
      WATCH_MIN_SEVERITY: 'critical',
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('WATCH_MIN_SEVERITY: expected one of urgent, high, normal, low');
    expect(bad.stdout + bad.stderr).not.toContain('hunter2secret');
    const noFrom = await runNode(['bin/case-watcher', '--once'], { ...env, MAIL_FROM: '' });
    expect(noFrom.code).toBe(1);
    expect(noFrom.stderr).toContain('MAIL_FROM: required when SMTP_URL is set');
  });

  it('--dry-run should print the digest and send nothing; --once should send it once', async () => {
    const dry = await runNode(['bin/case-watcher', '--once', '--dry-run'], env);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('findings: new-case 1, sla 1, stale 0, sync-failed 0 (dry run');
    expect(dry.stdout).toMatch(/^email:team@example\.test +would send 2 finding\(s\)$/m);
    expect(dry.stdout).toContain('Subject: [Caseboard] 2 alerts: 1 new case, 1 SLA');
    expect(dry.stdout).toContain('[urgent] jira:OPS-7 Payments <down> · ACME · Alice Adams');
    expect(inbox.take()).toEqual([]);

    const once = await runNode(['bin/case-watcher', '--once'], env);
    expect(once.code).toBe(0);
    expect(once.stdout).toMatch(/^email:team@example\.test +sent 2 finding\(s\)$/m);
    expect(inbox.take().map((m) => m.subject)).toEqual(['[Caseboard] 2 alerts: 1 new case, 1 SLA']);

    const again = await runNode(['bin/case-watcher', '--once'], env);
    expect(again.stdout).toMatch(/^email:team@example\.test +nothing new$/m);
    expect(inbox.take()).toEqual([]);
  });

  it('without a channel, --once should refuse and --dry-run should show the findings', async () => {
    const bare = { ...env, SMTP_URL: '', MAIL_FROM: '', MAIL_TO: '' };
    const once = await runNode(['bin/case-watcher', '--once'], bare);
    expect(once.code).toBe(1);
    expect(once.stderr).toContain('no notification channel is configured');
    const dry = await runNode(['bin/case-watcher', '--once', '--dry-run'], bare);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('no destination has anything to be told');
    expect(dry.stdout).toContain('[Caseboard] 2 alerts: 1 new case, 1 SLA');
    expect(dry.stdout).toContain('[urgent] jira:OPS-7 Payments <down> · ACME · Alice Adams');
  });

  it('should register watch-cron from WATCH_CRON and run watch jobs in the worker', async () => {
    const scheduler = await createTestContext(
      { ...env, WATCH_CRON: '*/7 * * * *' },
      [WatchSchedulerModule],
      ['scheduler'],
    );
    try {
      const queue = scheduler.app.get<Queue>(getQueueToken(WATCH_QUEUE));
      const repeatable = await queue.getRepeatableJobs();
      expect(repeatable.map((j) => [j.name, j.id, j.cron])).toEqual([
        [WATCH_JOB, WATCH_REPEAT_JOB_ID, '*/7 * * * *'],
      ]);
    } finally {
      await scheduler.close();
    }

    // A new finding (the case changed severity) for the worker's run to send.
    const stored = (await ctx.store.getCase('jira:OPS-7'))!;
    await ctx.store.apply({
      source: 'jira',
      upserts: [{ next: { ...stored, severity: 'high' }, prev: stored, uid: stored.key }],
      removals: [],
      cursor: null,
      summary: {
        source: 'jira',
        mode: 'incremental',
        startedAt: stored.updatedAt,
        finishedAt: stored.updatedAt,
        durationMs: 1,
        cursor: null,
        unknownValues: 0,
        fetched: 1,
        created: 0,
        updated: 1,
        unchanged: 0,
        removed: 0,
      },
    });
    const worker = await createTestContext(env, [WatchWorkerModule], ['worker']);
    try {
      const queue = worker.app.get<Queue>(getQueueToken(WATCH_QUEUE));
      const job = await queue.add(WATCH_JOB, {});
      const mails = await waitFor('the worker mail', () => {
        const taken = inbox.take();
        return Promise.resolve(taken.length > 0 ? taken : undefined);
      });
      expect(mails.map((m) => m.subject)).toEqual(['[Caseboard] 1 alert: 1 new case']);
      const done = await waitFor('the job result', async () =>
        (await job.isCompleted())
          ? ((await queue.getJob(job.id))?.returnvalue as WatchRunReport)
          : undefined,
      );
      expect(done.deliveries.map((d) => d.state)).toEqual(['sent']);
    } finally {
      await worker.close();
    }
  });
});
