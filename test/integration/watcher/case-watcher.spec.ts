import { Redis } from 'ioredis';
import type { SupportCase } from '../../../src/cases/case.model.js';
import { aCase } from '../../../src/query/case-fixture.js';
import type { CaseStore } from '../../../src/store/case.store.js';
import type { SyncSummary } from '../../../src/store/sync-status.js';
import { WatchService, type WatchRunReport } from '../../../src/watcher/watch.service.js';
import { WatchRunnerModule } from '../../../src/watcher/watcher.module.js';
import { MailInbox } from '../../support/mail-inbox.js';
import {
  createTestContext,
  deletePrefix,
  testEnv,
  testRedisUrl,
  uniquePrefix,
  type TestContext,
} from '../../support/test-context.js';
import { WebhookReceiver } from '../../support/webhook-receiver.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2026-03-10T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

/** Writes cases as a sync run would (one transaction, prev versions from the store). */
async function put(store: CaseStore, cases: SupportCase[]): Promise<void> {
  const stored = await store.getStored(cases.map((c) => c.id));
  const summary: SyncSummary = {
    source: 'jira',
    mode: 'incremental',
    startedAt: NOW.toISOString(),
    finishedAt: NOW.toISOString(),
    durationMs: 1,
    cursor: null,
    unknownValues: 0,
    fetched: cases.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    removed: 0,
  };
  await store.apply({
    source: 'jira',
    upserts: cases.map((c) => ({ next: c, prev: stored.get(c.id)?.value ?? null, uid: c.key })),
    removals: [],
    cursor: null,
    summary,
  });
}

const states = (report: WatchRunReport) =>
  report.deliveries.map((d) => `${d.target} ${d.state} ${d.pending}`);

/** The case lines of a digest (mail or Slack): "[severity] id" in order. */
const caseLines = (text: string) =>
  [...text.matchAll(/\[(urgent|high|normal|low)\] (?:<[^|]+\|)?([a-z]+:[A-Z0-9-]+)/g)].map(
    (m) => `${m[1]} ${m[2]}`,
  );

// A: urgent, opened 1 h ago → new-case, and SLA due in 23 h (within 24 h).
// B: high, opened 2 h ago → new-case only (due in 70 h).
// C: low, opened 10 days ago, last update 9 days ago → stale (due in 4 days).
// D: solved long ago → nothing. GLPI's last sync failed and it never succeeded → sync-failed.
const A = aCase({
  key: 'SUP-1',
  title: 'Checkout down',
  severity: 'urgent',
  createdAt: ago(HOUR),
  updatedAt: ago(HOUR),
});
const B = aCase({
  key: 'SUP-2',
  title: 'Slow search',
  severity: 'high',
  createdAt: ago(2 * HOUR),
  updatedAt: ago(HOUR),
  account: 'Globex',
  assignee: null,
});
const C = aCase({
  key: 'SUP-3',
  title: 'Typo on invoice',
  severity: 'low',
  createdAt: ago(10 * DAY),
  updatedAt: ago(9 * DAY),
});
const D = aCase({
  key: 'SUP-4',
  status: 'solved',
  severity: 'urgent',
  createdAt: ago(60 * DAY),
  updatedAt: ago(50 * DAY),
});

describe(WatchService.name, () => {
  let inbox: MailInbox;
  let hook: WebhookReceiver;

  beforeAll(async () => {
    inbox = await MailInbox.start();
    hook = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await inbox.close();
    await hook.close();
  });

  function watcherEnv(prefix: string, extra: Record<string, string> = {}) {
    return testEnv(prefix, {
      GLPI_URL: 'http://127.0.0.1:9/apirest.php',
      GLPI_USER_TOKEN: 'glpi-token',
      SMTP_URL: `smtp://bot:hunter2secret@127.0.0.1:${inbox.port}`,
      MAIL_FROM: 'Caseboard <caseboard@example.test>',
      MAIL_TO: 'default:team@example.test,urgent:oncall@example.test,sync-failed:ops@example.test',
      SLACK_WEBHOOK_URL: hook.url(),
      SLACK_CHANNELS: 'urgent:#oncall,high:#oncall',
      WATCH_RETRIES: '3',
      WATCH_RETRY_BASE_MS: '20',
      ...extra,
    });
  }

  describe('content, routing and de-duplication', () => {
    const prefix = uniquePrefix('watch');
    let ctx: TestContext;
    let watch: WatchService;

    beforeAll(async () => {
      ctx = await createTestContext(watcherEnv(prefix), [WatchRunnerModule]);
      watch = ctx.app.get(WatchService);
      await put(ctx.store, [A, B, C, D]);
      await ctx.store.recordFailure(
        'glpi',
        new Date(NOW.getTime() - 5 * 60_000),
        'GLPI answered 503',
      );
      inbox.take();
      hook.take();
    });
    afterAll(async () => {
      await ctx.close();
      await deletePrefix(prefix);
    });

    it('should send each destination one digest of what routes to it', async () => {
      const report = await watch.run({ now: NOW });
      expect(report.findings).toEqual({ 'new-case': 2, sla: 1, stale: 1, 'sync-failed': 1 });
      expect(states(report)).toEqual([
        'email:oncall@example.test sent 2',
        'email:ops@example.test sent 1',
        'email:team@example.test sent 2',
        'slack: sent 2',
        'slack:#oncall sent 3',
      ]);

      const mails = inbox.take();
      expect(mails.map((m) => [m.to.join(), m.subject])).toEqual([
        ['oncall@example.test', '[Caseboard] 2 alerts: 1 new case, 1 SLA'],
        ['ops@example.test', '[Caseboard] 1 alert: 1 sync problem'],
        ['team@example.test', '[Caseboard] 2 alerts: 1 new case, 1 stale'],
      ]);
      expect(mails.every((m) => m.from === 'caseboard@example.test')).toBe(true);
      expect(inbox.logins).toContain('bot');
      const [oncall, ops, team] = mails;
      expect(caseLines(oncall.text)).toEqual(['urgent jira:SUP-1', 'urgent jira:SUP-1']);
      expect(oncall.text).toContain(
        'New cases (1)\n  [urgent] jira:SUP-1 Checkout down · ACME · Alice Adams\n    new urgent case, opened 2026-03-10 11:00 UTC\n    https://jira.example.com/SUP-1\n',
      );
      expect(oncall.text).toContain(
        'SLA breached or due soon (1)\n  [urgent] jira:SUP-1 Checkout down · ACME · Alice Adams\n    SLA due in 23 h (2026-03-11 11:00 UTC)\n',
      );
      expect(ops.text).toContain(
        'Sync problems (1)\n  glpi sync: 1 failed run in a row, never succeeded; last error: GLPI answered 503\n',
      );
      expect(caseLines(team.text)).toEqual(['high jira:SUP-2', 'low jira:SUP-3']);
      expect(team.text).toContain('[high] jira:SUP-2 Slow search · Globex · unassigned');
      expect(team.text).toContain('no update for 9 days (since 2026-03-01 12:00 UTC)');

      const posts = hook.take();
      expect(posts.map((p) => [p.path, p.body.channel])).toEqual([
        ['/services/T0001/B0001/s3cretHookToken', undefined],
        ['/services/T0001/B0001/s3cretHookToken', '#oncall'],
      ]);
      expect(posts[0].body.text).toMatch(/^\*\[Caseboard\] 2 alerts: 1 stale, 1 sync problem\*/);
      expect(caseLines(posts[0].body.text)).toEqual(['low jira:SUP-3']);
      expect(caseLines(posts[1].body.text)).toEqual([
        'urgent jira:SUP-1',
        'high jira:SUP-2',
        'urgent jira:SUP-1',
      ]);
      expect(posts[1].body.text).toContain('<https://jira.example.com/SUP-1|jira:SUP-1>');
    });

    it('should not notify the same (case, rule) twice while it has not changed', async () => {
      const report = await watch.run({ now: new Date(NOW.getTime() + 10 * 60_000) });
      expect(report.findings).toEqual({ 'new-case': 2, sla: 1, stale: 1, 'sync-failed': 1 });
      expect(states(report).every((s) => s.endsWith('nothing-new 0'))).toBe(true);
      expect(inbox.take()).toEqual([]);
      expect(hook.take()).toEqual([]);
    });

    it('should notify again once the case changes what the rule looks at', async () => {
      // B escalated to urgent: new-case again (fingerprint = severity) and now SLA due in 22 h;
      // C touched but still stale: notified again (fingerprint = updatedAt).
      await put(ctx.store, [
        { ...B, severity: 'urgent', updatedAt: ago(0) },
        { ...C, updatedAt: ago(8 * DAY) },
      ]);
      const report = await watch.run({ now: NOW });
      expect(states(report)).toEqual([
        'email:oncall@example.test sent 2',
        'email:ops@example.test nothing-new 0',
        'email:team@example.test sent 1',
        'slack: sent 1',
        'slack:#oncall sent 2',
      ]);
      const [oncall, team] = inbox.take();
      expect(caseLines(oncall.text)).toEqual(['urgent jira:SUP-2', 'urgent jira:SUP-2']);
      expect(caseLines(team.text)).toEqual(['low jira:SUP-3']);
      expect(hook.take().map((p) => caseLines(p.body.text))).toEqual([
        ['low jira:SUP-3'],
        ['urgent jira:SUP-2', 'urgent jira:SUP-2'],
      ]);
    });

    it('should print the digests on a dry run without sending or marking anything', async () => {
      await put(ctx.store, [{ ...C, updatedAt: ago(7 * DAY + HOUR) }]);
      const dry = await watch.run({ now: NOW, dryRun: true });
      expect(states(dry)).toContain('email:team@example.test dry-run 1');
      expect(dry.deliveries.find((d) => d.target === 'email:team@example.test')?.preview).toContain(
        'To: team@example.test\nSubject: [Caseboard] 1 alert: 1 stale\n',
      );
      expect(inbox.take()).toEqual([]);
      expect(hook.take()).toEqual([]);
      // Nothing was marked: the real run still sends it.
      expect(states(await watch.run({ now: NOW }))).toContain('email:team@example.test sent 1');
      expect(inbox.take()).toHaveLength(1);
      hook.take();
    });
  });

  describe('delivery failures', () => {
    const prefix = uniquePrefix('watch-fail');
    let ctx: TestContext;
    let watch: WatchService;

    beforeAll(async () => {
      ctx = await createTestContext(
        watcherEnv(prefix, { MAIL_TO: 'default:team@example.test', SLACK_CHANNELS: '' }),
        [WatchRunnerModule],
      );
      watch = ctx.app.get(WatchService);
      await put(ctx.store, [B]);
      inbox.take();
      hook.take();
    });
    afterAll(async () => {
      await ctx.close();
      await deletePrefix(prefix);
    });

    it('should retry a failing receiver and succeed within WATCH_RETRIES', async () => {
      hook.failNext(2, 503);
      inbox.failNext(1, 421);
      hook.attempts = 0;
      const report = await watch.run({ now: NOW });
      expect(report.deliveries.map((d) => [d.target, d.state, d.attempts])).toEqual([
        ['email:team@example.test', 'sent', 2],
        ['slack:', 'sent', 3],
      ]);
      expect(hook.attempts).toBe(3);
      expect(hook.take()).toHaveLength(1);
      expect(inbox.take()).toHaveLength(1);
      expect(report.errors).toEqual({});
    });

    it('should record a delivery that keeps failing, not mark it, and send it on the next run', async () => {
      await put(ctx.store, [{ ...B, severity: 'urgent', updatedAt: ago(0) }]);
      hook.failNext(10, 500);
      inbox.failNext(1, 550);
      hook.attempts = 0;
      const failed = await watch.run({ now: NOW });
      expect(failed.deliveries.map((d) => [d.target, d.state, d.attempts, d.error])).toEqual([
        // 5xx from SMTP is permanent: no retry.
        ['email:team@example.test', 'failed', 1, expect.stringContaining('mailbox busy') as string],
        ['slack:', 'failed', 4, 'Slack webhook answered 500: invalid_payload'],
      ]);
      expect(hook.attempts).toBe(4);
      expect(Object.keys(failed.errors).sort()).toEqual(['email:team@example.test', 'slack:']);
      const stored = JSON.stringify(failed) + JSON.stringify(await redisDump(prefix));
      expect(stored).not.toContain('hunter2secret');
      expect(stored).not.toContain('s3cretHookToken');

      hook.failNext(0);
      const retried = await watch.run({ now: new Date(NOW.getTime() + 60_000) });
      expect(states(retried)).toEqual(['email:team@example.test sent 2', 'slack: sent 2']);
      expect(retried.errors).toEqual({});
      expect(caseLines(inbox.take()[0].text)).toEqual(['urgent jira:SUP-2', 'urgent jira:SUP-2']);
    });
  });
});

async function redisDump(prefix: string): Promise<Record<string, string>> {
  const redis = new Redis(testRedisUrl());
  try {
    const keys = await redis.keys(`${prefix}watch:*`);
    const out: Record<string, string> = {};
    for (const key of keys) {
      const type = await redis.type(key);
      out[key] =
        type === 'hash' ? JSON.stringify(await redis.hgetall(key)) : ((await redis.get(key)) ?? '');
    }
    return out;
  } finally {
    redis.disconnect();
  }
}
