import { QueueModule } from '../../../src/sync/queue.module.js';
import { SyncQueue } from '../../../src/sync/sync.queue.js';
import { spawnNode, waitFor, type Spawned } from '../../support/processes.js';
import { quietCron } from '../../support/quiet-cron.js';
import { parsePromText, seriesOf, sumOf, type Sample } from '../../support/prom-text.js';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server.js';
import { createTestContext, type TestContext } from '../../support/test-context.js';
import { startStack, type AppStack } from '../support/app-stack.js';
import { freePort } from '../support/idp.js';
import { ask, signIn } from '../security/security-kit.js';
import { LISTING_PATH } from '../../support/upstreams.js';

const METRICS_TOKEN = 'ops-spec-metrics-token-0123456789';
const QUIET = quietCron().cron;

/**
 * Ops surface against the whole product: a web process and a separate worker+scheduler process
 * sharing their own Redis, which this spec stops and starts.
 */
describe('ops: metrics, readiness and Bull Board', () => {
  let redis: RedisServerHandle;
  let stack: AppStack;
  let worker: Spawned;
  let workerOps: string;
  let queueCtx: TestContext;
  let adminToken: string;
  let engineerToken: string;

  const scrape = async (base: string, token = METRICS_TOKEN): Promise<Sample[]> => {
    const response = await fetch(`${base}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.status !== 200) throw new Error(`${base}/metrics: ${response.status}`);
    return parsePromText(await response.text());
  };
  const get = (path: string, token?: string) =>
    fetch(`${stack.baseUrl}${path}`, {
      redirect: 'manual',
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  beforeAll(async () => {
    redis = await startRedisServer();
    const cronless = {
      SYNC_CRON_GLPI: QUIET,
      SYNC_CRON_JIRA: QUIET,
      SYNC_CRON_BUGZILLA: QUIET,
      SYNC_CRON_RECONCILE: QUIET,
    };
    stack = await startStack({
      name: 'ops',
      env: {
        REDIS_URL: redis.url,
        CASEBOARD_ROLES: 'web',
        METRICS_TOKEN,
        ...cronless,
      },
    });
    const opsPort = await freePort();
    workerOps = `http://127.0.0.1:${opsPort}`;
    worker = spawnNode(['dist/main.js', 'worker,scheduler'], {
      ...stack.env,
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: String(opsPort),
    });
    await waitFor('the worker ops port', async () => {
      if (worker.child.exitCode !== null) throw new Error(`worker exited:\n${worker.output()}`);
      return (await fetch(`${workerOps}/health/live`).catch(() => null))?.ok;
    });
    queueCtx = await createTestContext(stack.env, [QueueModule], ['scheduler']);
    [adminToken, engineerToken] = await Promise.all([
      stack.token('admin'),
      stack.token('engineer'),
    ]);
  }, 180_000);

  afterAll(async () => {
    await queueCtx?.close();
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await stack?.stop();
    await redis?.stop();
  });

  it('should guard /metrics with the bearer token on the web and the worker port', async () => {
    for (const base of [stack.baseUrl, workerOps]) {
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
    }
    const web = await scrape(stack.baseUrl);
    const work = await scrape(workerOps);
    expect(seriesOf(web, 'caseboard_build_info').map((s) => s.labels.role)).toEqual(['web']);
    expect(
      seriesOf(work, 'caseboard_build_info')
        .map((s) => s.labels.role)
        .sort(),
    ).toEqual(['scheduler', 'worker']);
    expect(sumOf(web, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sumOf(work, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('should count the stored cases by source and status as the API does', async () => {
    const facets = async (source: string) => {
      const response = await get(`/api/v1/facets?source=${source}`, adminToken);
      return ((await response.json()) as { status: Record<string, number> }).status;
    };
    const web = await scrape(stack.baseUrl);
    for (const source of ['glpi', 'jira', 'bugzilla']) {
      const expected = await facets(source);
      for (const [status, count] of Object.entries(expected)) {
        expect([source, status, sumOf(web, 'caseboard_cases', { source, status })]).toEqual([
          source,
          status,
          count,
        ]);
      }
    }
    const all = (await (await get('/api/v1/cases?limit=1', adminToken)).json()) as {
      total: number;
    };
    expect(sumOf(web, 'caseboard_cases')).toBe(all.total);
    expect(all.total).toBeGreaterThan(300);
  });

  it('should move the sync, upstream and freshness metrics with a sync run', async () => {
    const before = await scrape(workerOps);
    const webBefore = await scrape(stack.baseUrl);
    const served200 = () => stack.sims.jira.requests.filter((r) => r.status === 200).length;
    const servedBefore = served200();
    const queue = queueCtx.app.get(SyncQueue);
    const job = await queue.enqueue('jira', 'full');
    const done = await waitFor(
      'the jira sync job',
      async () => {
        const current = await queue.queue.getJob(job.id);
        const state = await current?.getState();
        if (state === 'failed') throw new Error(`failed: ${current?.failedReason}`);
        return state === 'completed' ? current : undefined;
      },
      60_000,
    );
    const summary = done.returnvalue as { fetched: number; created: number; finishedAt: string };
    const after = await scrape(workerOps);
    const delta = (name: string, where: Record<string, string>) =>
      sumOf(after, name, where) - sumOf(before, name, where);

    expect(delta('caseboard_sync_runs_total', { source: 'jira', result: 'success' })).toBe(1);
    expect(delta('caseboard_sync_duration_seconds_count', { source: 'jira', mode: 'full' })).toBe(
      1,
    );
    expect(delta('caseboard_sync_cases_total', { source: 'jira', change: 'fetched' })).toBe(
      summary.fetched,
    );
    const stored = (await (await get('/api/v1/cases?source=jira&limit=1', adminToken)).json()) as {
      total: number;
    };
    expect(summary.fetched).toBe(stored.total);
    expect(delta('caseboard_upstream_requests_total', { source: 'jira', status: '200' })).toBe(
      served200() - servedBefore,
    );
    expect(sumOf(after, 'caseboard_upstream_circuit_state', { source: 'jira' })).toBe(0);

    const web = await scrape(stack.baseUrl);
    const lastSuccess = sumOf(web, 'caseboard_sync_last_success_timestamp_seconds', {
      source: 'jira',
    });
    expect(lastSuccess * 1000).toBe(Date.parse(summary.finishedAt));
    expect(lastSuccess).toBeGreaterThan(
      sumOf(webBefore, 'caseboard_sync_last_success_timestamp_seconds', { source: 'jira' }),
    );
    const age = sumOf(web, 'caseboard_data_age_seconds', { source: 'jira' });
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(
      sumOf(webBefore, 'caseboard_data_age_seconds', { source: 'glpi' }) + 60,
    );
    expect(sumOf(web, 'caseboard_queue_jobs', { queue: 'sync', state: 'completed' })).toBe(
      sumOf(webBefore, 'caseboard_queue_jobs', { queue: 'sync', state: 'completed' }) + 1,
    );
  }, 90_000);

  it('should count a failed sync and report the source as failing', async () => {
    stack.sims.bugzilla.faults.add({
      kind: 'bad-credentials',
      path: LISTING_PATH.bugzilla,
      times: Infinity,
    });
    try {
      const before = await scrape(workerOps);
      const logged = stack.sims.bugzilla.requests.length;
      const queue = queueCtx.app.get(SyncQueue);
      const job = await queue.enqueue('bugzilla', 'incremental');
      await waitFor('the bugzilla job to fail', async () => {
        const state = await (await queue.queue.getJob(job.id))?.getState();
        return state === 'failed';
      });
      const after = await scrape(workerOps);
      const failures = (s: Sample[]) =>
        sumOf(s, 'caseboard_sync_runs_total', { source: 'bugzilla', result: 'failure' });
      expect(failures(after) - failures(before)).toBe(1);
      const refused = stack.sims.bugzilla.requests.slice(logged).filter((r) => r.fault);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      const status = String(refused[0].status);
      expect(status).not.toBe('200');
      const counted = (s: Sample[]) =>
        sumOf(s, 'caseboard_upstream_requests_total', { source: 'bugzilla', status });
      expect(counted(after) - counted(before)).toBe(refused.length);
      const web = await scrape(stack.baseUrl);
      expect(sumOf(web, 'caseboard_sync_last_failed', { source: 'bugzilla' })).toBe(1);
      expect(sumOf(web, 'caseboard_sync_last_failed', { source: 'glpi' })).toBe(0);
    } finally {
      stack.sims.bugzilla.faults.clear();
    }
  });

  it('should time HTTP requests by route template, not by raw path', async () => {
    const [first] = (
      (await (await get('/api/v1/cases?limit=1', adminToken)).json()) as {
        items: { source: string; key: string }[];
      }
    ).items;
    const before = await scrape(stack.baseUrl);
    const answer = await get(`/api/v1/cases/${first.source}/${first.key}`, adminToken);
    expect(answer.status).toBe(200);
    const after = await scrape(stack.baseUrl);
    const where = { route: '/api/v1/cases/:source/:key', method: 'GET', status_code: '200' };
    expect(
      sumOf(after, 'http_request_duration_seconds_count', where) -
        sumOf(before, 'http_request_duration_seconds_count', where),
    ).toBe(1);
    const routes = new Set(
      seriesOf(after, 'http_request_duration_seconds_count').map((s) => s.labels.route),
    );
    expect([...routes].some((r) => r.includes(first.key))).toBe(false);
  });

  it('should open Bull Board to admins only, listing the sync queue', async () => {
    expect((await get('/admin/queues', adminToken)).status).toBe(200);
    const api = await get('/admin/queues/api/queues', adminToken);
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: { name: string }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual(['sync', 'watch']);
    expect((await get('/admin/queues', engineerToken)).status).toBe(403);
    expect((await get('/admin/queues/api/queues', engineerToken)).status).toBe(403);
    const anonymous = await get('/admin/queues');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/login?returnTo=%2Fadmin%2Fqueues');
    expect((await get('/admin/queues/api/queues')).status).toBe(401);
  });

  it('should let an admin session act on Bull Board from the same origin only', async () => {
    const carol = { kind: 'session' as const, jar: await signIn(stack, 'carol') };
    const paused = async () => queueCtx.app.get(SyncQueue).queue.isPaused();
    const put = (path: string, headers: Record<string, string>) =>
      ask(stack.baseUrl, `/admin/queues/api/queues/sync/${path}`, carol, {
        method: 'PUT',
        headers,
      });

    const crossSite = await put('pause', {
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    expect(crossSite.status).toBe(403);
    expect(await put('pause', {}).then((a) => a.status)).toBe(403);
    expect(await paused()).toBe(false);

    const origin = { origin: stack.baseUrl, 'sec-fetch-site': 'same-origin' };
    expect((await put('pause', origin)).status).toBe(200);
    expect(await paused()).toBe(true);
    expect((await put('resume', origin)).status).toBe(200);
    expect(await paused()).toBe(false);
  });

  it('should report not ready while Redis is down and ready again when it returns, without a restart', async () => {
    const ready = async (base: string) => (await fetch(`${base}/health/ready`)).status;
    expect(await ready(stack.baseUrl)).toBe(200);
    expect(await ready(workerOps)).toBe(200);
    const body = (await (await fetch(`${stack.baseUrl}/health/ready`)).json()) as {
      details: Record<string, { status: string }>;
    };
    expect(Object.keys(body.details).sort()).toEqual([
      'process',
      'queue:sync',
      'queue:watch',
      'redis',
    ]);

    await redis.stop({ keepData: true });
    await waitFor('web readiness to fail', async () => (await ready(stack.baseUrl)) === 503);
    await waitFor('worker readiness to fail', async () => (await ready(workerOps)) === 503);
    expect((await fetch(`${stack.baseUrl}/health/live`)).status).toBe(200);

    redis = await startRedisServer(redis.port, redis.dir);
    await waitFor(
      'web readiness to return',
      async () => (await ready(stack.baseUrl)) === 200,
      30_000,
    );
    await waitFor(
      'worker readiness to return',
      async () => (await ready(workerOps)) === 200,
      30_000,
    );
    expect(stack.app.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();
  }, 90_000);
});
