import type { Locator } from 'playwright-core';
import type { StatusModel, SyncJobView } from '../../../src/ops/status/status.model.js';
import { startStack, type AppStack } from '../support/app-stack.js';
import { waitFor } from '../../support/processes.js';
import { quietCron } from '../../support/quiet-cron.js';
import { LISTING_PATH } from '../../support/upstreams.js';
import { ask, csrfTokenOf, signIn as sessionOf, type Caller } from '../security/security-kit.js';
import { signIn } from './browser-kit.js';
import { screenshot } from '../support/browser.js';

jest.setTimeout(120_000);

const QUIET = quietCron();

/*
 * The status page and "Sync now" through the whole product: real IdP sessions, CSRF, the
 * worker role running the job against the simulators, and Chromium following its progress.
 */
describe('status page and Sync now', () => {
  let stack: AppStack;
  const sessions: Partial<Record<'alice' | 'carol' | 'dave', Caller>> = {};

  beforeAll(async () => {
    stack = await startStack({
      name: 'status-page',
      glpi: 120,
      jira: 60,
      bugzilla: 60,
      // no cron tick may run a sync of its own between a click and the checks
      env: {
        JIRA_PAGE_SIZE: '10',
        SYNC_CRON_GLPI: QUIET.cron,
        SYNC_CRON_JIRA: QUIET.cron,
        SYNC_CRON_BUGZILLA: QUIET.cron,
        SYNC_CRON_RECONCILE: QUIET.cron,
      },
    });
    for (const user of ['alice', 'carol', 'dave'] as const) {
      sessions[user] = { kind: 'session', jar: await sessionOf(stack, user) };
    }
  }, 120_000);

  afterAll(() => stack?.stop());

  const status = async (): Promise<StatusModel> => {
    const answer = await ask(stack.baseUrl, '/api/v1/status', sessions.carol!);
    expect(answer.status).toBe(200);
    return JSON.parse(answer.body) as StatusModel;
  };

  /** A POST to Sync now as `caller`, with the CSRF token of their own /status page. */
  async function post(caller: Caller, source: string, json = false) {
    const page = await ask(stack.baseUrl, '/status', caller);
    expect(page.status).toBe(200);
    return ask(stack.baseUrl, `/status/sync/${source}`, caller, {
      method: 'POST',
      form: { _csrf: csrfTokenOf(page.body) },
      headers: json ? { accept: 'application/json' } : {},
    });
  }

  const jobDone = (id: string) =>
    waitFor(
      `job ${id}`,
      async () => {
        const answer = await ask(
          stack.baseUrl,
          `/api/v1/status/jobs/${encodeURIComponent(id)}`,
          sessions.carol!,
        );
        const job = JSON.parse(answer.body) as SyncJobView;
        return job.done ? job : null;
      },
      30_000,
    );

  it('should show every signed-in role the sources, their freshness and the version', async () => {
    const model = await status();
    expect(model.sources.map((s) => s.source)).toEqual(['glpi', 'jira', 'bugzilla']);
    expect(model.version).toBe('0.1.0');
    for (const s of model.sources) {
      expect(s.lastSuccessAt).not.toBeNull();
      expect(s.lagSeconds).toBeGreaterThanOrEqual(0);
      expect(Date.parse(s.nextRunAt!)).toBeGreaterThan(Date.parse(model.generatedAt));
    }
    expect(model.dataAsOf).toBe(model.sources.map((s) => s.lastSuccessAt!).sort()[0]);
    for (const user of ['alice', 'carol', 'dave'] as const) {
      const page = await ask(stack.baseUrl, '/status', sessions[user]!);
      expect(page.status).toBe(200);
      for (const source of ['glpi', 'jira', 'bugzilla']) {
        expect(page.body).toContain(`id="source-${source}"`);
      }
      expect(page.body).toContain('Caseboard 0.1.0');
      // the layout's "data as of" is the oldest last success, to the second
      const asOf = model.dataAsOf!.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
      expect(page.body).toContain(`data as of ${asOf}`);
      expect(page.body.includes('id="sync-now-jira"')).toBe(user === 'carol');
    }
  });

  it('should refuse Sync now without the CSRF token, for every role', async () => {
    const before = (await status()).queue;
    for (const user of ['alice', 'carol'] as const) {
      const answer = await ask(stack.baseUrl, '/status/sync/jira', sessions[user]!, {
        method: 'POST',
        form: { _csrf: 'not-the-token' },
      });
      expect({ user, status: answer.status }).toEqual({ user, status: 403 });
      expect(answer.body).toContain('CSRF');
    }
    const after = (await status()).queue;
    expect(after.waiting + after.active).toBe(before.waiting + before.active);
    expect(after.completed).toBe(before.completed);
  });

  it('should let only admins start a sync, and answer unknown sources with 404', async () => {
    for (const user of ['alice', 'dave'] as const) {
      const answer = await post(sessions[user]!, 'jira');
      expect({ user, status: answer.status }).toEqual({ user, status: 403 });
      expect(answer.body).toContain('Your role may not sync Queue');
    }
    const unknown = await post(sessions.carol!, 'redmine', true);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('Unknown source redmine');

    // a form post comes back to the page, which follows the job
    const form = await post(sessions.carol!, 'glpi');
    expect(form.status).toBe(303);
    const jobId = decodeURIComponent(
      /^\/status\?job=([^#]+)#source-glpi$/.exec(form.location!)![1],
    );
    expect(jobId).toMatch(/^sync:glpi:incremental:\d+$/);
    const done = await jobDone(jobId);
    expect(done).toMatchObject({ state: 'completed', trigger: 'manual', source: 'glpi' });
    const page = await ask(stack.baseUrl, form.location!.replace(/#.*/, ''), sessions.carol!);
    expect(page.body).toContain(`data-job="${jobId}"`);
    expect(page.body).toMatch(/id="sync-progress-glpi"[^>]*>done: fetched \d+, created 0/);
  });

  /** Texts a progress box shows until it reaches a final state. */
  async function followProgress(box: Locator): Promise<{ texts: string[]; state: string }> {
    const texts: string[] = [];
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      // text and state read together: the script may change both between two reads
      const [raw, state] = await box.evaluate((node: unknown) => {
        const el = node as { textContent: string | null; dataset: Record<string, string> };
        return [el.textContent ?? '', el.dataset.state ?? ''] as const;
      });
      const text = raw.trim();
      if (text && texts.at(-1) !== text) texts.push(text);
      if (state === 'completed' || state === 'failed') return { texts, state };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no final state; saw ${texts.join(' | ')}`);
  }

  it('should show the admin the progress of Sync now until done with counts', async () => {
    // enough changed issues for several listing pages (JIRA_PAGE_SIZE=10), slowed down so
    // the page shows them counting up
    const changed = stack.sims.jira.mutate(30).filter((key) => /^(SUP|OPS)-/.test(key)).length;
    expect(changed).toBeGreaterThan(10);
    stack.sims.jira.faults.add({
      kind: 'slow',
      delayMs: 600,
      path: LISTING_PATH.jira,
      after: 1,
      times: 2,
    });
    const session = await signIn(stack, 'carol');
    try {
      const { page } = session;
      await page.goto(`${stack.baseUrl}/status`);
      await page.locator('#sync-now-jira').click();
      const { texts, state } = await followProgress(page.locator('#sync-progress-jira'));
      expect(state).toBe('completed');
      // live counts between the click and the end
      expect(texts.slice(0, -1).some((t) => /^listing \d+(\/\d+)?$/.test(t))).toBe(true);
      expect(texts.slice(0, -1).every((t) => !t.startsWith('done'))).toBe(true);
      const done =
        /^done: fetched (\d+), created 0, updated (\d+), unchanged (\d+), removed 0 \(\d+\.\d s\)$/.exec(
          texts.at(-1)!,
        );
      expect(done).not.toBeNull();
      const [fetched, updated, unchanged] = done!.slice(1).map(Number);
      // every mutated issue is listed again; a mutation can leave the normalized case as it was
      expect(fetched).toBeGreaterThanOrEqual(changed);
      expect(fetched).toBe(updated + unchanged);
      expect(updated).toBeGreaterThan(changed / 2);
      await expect(page.locator('#sync-now-jira').isEnabled()).resolves.toBe(true);
      const summary = page.locator('#source-jira [data-field="summary"]');
      const expected = `incremental: fetched ${fetched}, created 0, updated ${updated}, unchanged ${unchanged}, removed 0`;
      await waitFor(
        'the table to show the run',
        async () => (await summary.textContent())?.trim() === expected,
        15_000,
      ).catch(async (e: Error) => {
        throw new Error(`${e.message}: ${await summary.textContent()} vs ${expected}`);
      });
    } finally {
      stack.sims.jira.faults.clear();
      await session.close();
    }
  });

  it('should show a failing sync with its error, and no button to an engineer', async () => {
    stack.sims.bugzilla.faults.add({ kind: 'bad-credentials', times: Infinity });
    const admin = await signIn(stack, 'carol');
    try {
      const { page } = admin;
      await page.goto(`${stack.baseUrl}/status`);
      await page.locator('#sync-now-bugzilla').click();
      const { state, texts } = await followProgress(page.locator('#sync-progress-bugzilla'));
      expect(state).toBe('failed');
      expect(texts.at(-1)).toMatch(/^failed: bugzilla: /);
      await screenshot(page, 'status');
    } finally {
      stack.sims.bugzilla.faults.clear();
      await admin.close();
    }
    const failure = (await status()).sources.find((s) => s.source === 'bugzilla')!;
    expect(failure.lastError).toMatch(/^bugzilla: /);
    const engineer = await signIn(stack, 'alice');
    try {
      const { page } = engineer;
      await page.goto(`${stack.baseUrl}/status`);
      await expect(page.locator('#status-sources').isVisible()).resolves.toBe(true);
      await expect(page.locator('form.sync-now, #sync-now-jira').count()).resolves.toBe(0);
      const error = await page.locator('#source-bugzilla [data-field="lastError"]').textContent();
      expect(error).toContain(failure.lastError!);
      await expect(page.locator('#nav-status').isVisible()).resolves.toBe(true);
    } finally {
      await engineer.close();
    }
  });
});
