import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Source } from '../../../src/cases/case.model.js';
import { runNode, waitFor } from '../../support/processes.js';
import { expectedUpstream } from '../../support/upstreams.js';
import { ROLES, startDeployStack, type DeployStack } from './deploy-stack.js';
import { dashboardQueries, exposedNames, metricNames, ruleExpressions } from './promql-names.js';
import {
  SHIPPED_CONFIG,
  loopbackConfig,
  startPrometheus,
  type RunningPrometheus,
} from './prometheus-server.js';

const DASHBOARD = 'deploy/grafana/dashboards/caseboard.json';
const ALERTS = 'deploy/prometheus/alerts.yml';
const SOURCES: Source[] = ['glpi', 'jira', 'bugzilla'];

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** One value per label value of `by`, from an instant vector. */
function byLabel(samples: Sample[], by: string): Record<string, number> {
  return Object.fromEntries(samples.map((s) => [s.metric[by], Number(s.value[1])]));
}

describe('deployment: metrics, dashboard, alerts and the shipped Prometheus config', () => {
  const startedAt = Date.now() / 1000;
  let stack: DeployStack;
  let prometheus: RunningPrometheus;
  let shippedTokenFile = '';

  beforeAll(async () => {
    stack = await startDeployStack('deploy-scrape');
    // the scheduler enqueues a first sync of each source at start; the web role reads its
    // outcome from Redis at scrape time
    await waitFor(
      'the first sync of every source',
      async () => {
        const text = await stack.scrape('web');
        return SOURCES.every((s) =>
          new RegExp(
            `^caseboard_sync_last_success_timestamp_seconds\\{[^}]*source="${s}"`,
            'm',
          ).test(text),
        );
      },
      60_000,
    );
    const ports = Object.fromEntries(stack.processes.map((p) => [p.role, p.port]));
    prometheus = await startPrometheus((self, dir) => {
      const tokenFile = join(dir, 'metrics_token');
      writeFileSync(tokenFile, stack.metricsToken);
      const loopback = loopbackConfig(ports, self, tokenFile);
      shippedTokenFile = loopback.shippedTokenFile;
      return loopback.config;
    });
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    await stack?.stop();
  });

  it('should read metric names out of PromQL the way the checks below rely on', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, source) (rate(caseboard_upstream_request_duration_seconds_bucket{status=~"5..|error"}[$__rate_interval])))',
      ),
    ).toEqual(['caseboard_upstream_request_duration_seconds_bucket']);
    expect(
      metricNames(
        'max by (source) (a_total{result="failure"}) unless on (source) max by (source) (b_seconds) > 1e3',
      ),
    ).toEqual(['a_total', 'b_seconds']);
    expect(
      metricNames('absent(up{job="caseboard-web"} == 1) and bool nodejs_p99_seconds offset 5m'),
    ).toEqual(['nodejs_p99_seconds', 'up']);
    expect(
      exposedNames('# HELP h x\n# TYPE h histogram\nh_bucket{le="1"} 0\n# TYPE c_total counter\n'),
    ).toEqual(new Set(['h_bucket', 'h_sum', 'h_count', 'c_total']));
  });

  it('should reference only metrics the app exports, in the dashboard and in the alert rules', async () => {
    const exported = new Set(['up']); // Prometheus adds `up` to every target
    for (const role of ROLES)
      for (const n of exposedNames(await stack.scrape(role))) exported.add(n);
    const queries = [
      ...dashboardQueries(DASHBOARD).map((q) => ({ where: `panel "${q.panel}"`, expr: q.expr })),
      ...ruleExpressions(ALERTS).map((r) => ({ where: `alert ${r.rule}`, expr: r.expr })),
    ];
    expect(queries.length).toBeGreaterThan(20);
    const unknown = queries.flatMap(({ where, expr }) => {
      const names = metricNames(expr);
      if (names.length === 0) return [`${where}: no metric found in ${expr}`];
      return names.filter((n) => !exported.has(n)).map((n) => `${where}: ${n}`);
    });
    expect(unknown).toEqual([]);
  });

  it('should scrape every role through the shipped jobs, with the bearer from credentials_file', async () => {
    const shipped = parse(readFileSync(SHIPPED_CONFIG, 'utf8')) as {
      scrape_configs: { job_name: string }[];
    };
    expect(shippedTokenFile).toBe('/tmp/caseboard/metrics_token');
    const jobs = shipped.scrape_configs.map((j) => j.job_name).sort();
    expect(jobs).toEqual([
      'caseboard-scheduler',
      'caseboard-web',
      'caseboard-worker',
      'prometheus',
    ]);
    type Target = { labels: { job: string }; health: string; lastError: string };
    let seen: Target[] = [];
    const targets = await waitFor(
      'every target to be up',
      async () => {
        seen = (await prometheus.api<{ activeTargets: Target[] }>('targets', { state: 'active' }))
          .activeTargets;
        return seen.length === jobs.length && seen.every((x) => x.health === 'up')
          ? seen
          : undefined;
      },
      30_000,
    ).catch((error: Error) => {
      const status = seen.map((t) => `${t.labels.job}: ${t.health} ${t.lastError}`).join('\n');
      throw new Error(`${error.message}; targets:\n${status}`);
    });
    expect(targets.map((t) => t.labels.job).sort()).toEqual(jobs);
  });

  it('should hold the Caseboard series with the values of the sync that ran', async () => {
    const query = async (q: string) =>
      (await prometheus.api<{ result: Sample[] }>('query', { query: q })).result;
    const expected = expectedUpstream(stack.sims);
    const sizes = Object.fromEntries(SOURCES.map((s) => [s, expected[s].size]));
    await waitFor('the cluster gauges in Prometheus', async () => {
      return (await query('sum by (source) (caseboard_cases)')).length === SOURCES.length;
    });

    expect(byLabel(await query('sum by (source) (caseboard_cases)'), 'source')).toEqual(sizes);
    // the first run of a source creates every case it lists; later runs create none
    expect(
      byLabel(
        await query(
          'sum by (source) (caseboard_sync_cases_total{job="caseboard-worker",change="created"})',
        ),
        'source',
      ),
    ).toEqual(sizes);
    const runs = byLabel(
      await query(
        'sum by (source) (caseboard_sync_runs_total{job="caseboard-worker",result="success"})',
      ),
      'source',
    );
    for (const source of SOURCES) expect(runs[source]).toBeGreaterThanOrEqual(1);

    const now = Date.now() / 1000;
    const lastSuccess = byLabel(
      await query('max by (source) (caseboard_sync_last_success_timestamp_seconds)'),
      'source',
    );
    const age = byLabel(await query('max by (source) (caseboard_data_age_seconds)'), 'source');
    const failed = byLabel(await query('max by (source) (caseboard_sync_last_failed)'), 'source');
    for (const source of SOURCES) {
      expect(lastSuccess[source]).toBeGreaterThanOrEqual(Math.floor(startedAt));
      expect(lastSuccess[source]).toBeLessThanOrEqual(now + 1);
      expect(age[source]).toBeGreaterThanOrEqual(0);
      expect(age[source]).toBeLessThanOrEqual(now - startedAt + 1);
      expect(failed[source]).toBe(0);
    }
    expect(
      byLabel(await query('max by (state) (caseboard_queue_jobs{queue="sync"})'), 'state').failed,
    ).toBe(0);
    const build = await query('caseboard_build_info');
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string })
      .version;
    expect(
      build.map((s) => [s.metric.job, s.metric.role, s.metric.version, s.value[1]]).sort(),
    ).toEqual([
      ['caseboard-scheduler', 'scheduler', version, '1'],
      ['caseboard-web', 'web', version, '1'],
      ['caseboard-worker', 'worker', version, '1'],
    ]);
  });

  it('should load the shipped alert rules and evaluate every one without error', async () => {
    const shipped = parse(readFileSync(ALERTS, 'utf8')) as { groups: { name: string }[] };
    const groups = await waitFor('every rule to be evaluated', async () => {
      const data = await prometheus.api<{
        groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[];
      }>('rules');
      const all = data.groups.flatMap((g) => g.rules);
      return all.length > 0 && all.every((r) => r.health !== 'unknown') ? data.groups : undefined;
    });
    expect(groups.map((g) => g.name).sort()).toEqual(shipped.groups.map((g) => g.name).sort());
    const broken = groups.flatMap((g) =>
      g.rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`),
    );
    expect(broken).toEqual([]);
  });

  it('should run every dashboard query in Prometheus without error', async () => {
    const failures: string[] = [];
    for (const { panel, expr } of dashboardQueries(DASHBOARD)) {
      const query = expr.replace(/\$__rate_interval/g, '1m');
      await prometheus
        .api('query', { query })
        .catch((e: Error) => failures.push(`${panel}: ${e.message}`));
    }
    expect(failures).toEqual([]);
  });

  it("bin/healthcheck (the image's HEALTHCHECK) should pass for every role and fail naming the probe", async () => {
    for (const { role, env, port } of stack.processes) {
      // CASEBOARD_ROLES as compose sets it; outside a container PID 1 is not Caseboard
      const result = await runNode(['bin/healthcheck'], { ...env, CASEBOARD_ROLES: role });
      expect([role, port, result.code, result.stderr]).toEqual([role, port, 0, '']);
    }
    const worker = stack.processes.find((p) => p.role === 'worker')!;
    const gone = await runNode(['bin/healthcheck'], {
      ...worker.env,
      CASEBOARD_ROLES: 'worker',
      METRICS_PORT: '9',
    });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^unhealthy: http:\/\/127\.0\.0\.1:9\/health\/ready: /);
  });
});
