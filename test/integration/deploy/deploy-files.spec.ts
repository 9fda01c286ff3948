import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  profiles?: string[];
  environment?: Record<string, string>;
  ports?: { published: number; target: number }[];
  expose?: string[];
  volumes?: string[];
  tmpfs?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const configs = new Map<string, Record<string, Service>>();

/**
 * The services `up` would start, as docker-compose (v1) itself reads the file: anchors merged,
 * settings applied. (Its `config` lists every profile's services; we keep the active ones.)
 */
function composeConfig(envFile: string, profiles: string[] = []): Record<string, Service> {
  const key = [envFile, ...profiles].join(' ');
  if (!configs.has(key)) {
    const args = ['--env-file', envFile, ...profiles.flatMap((p) => ['--profile', p]), 'config'];
    const text = execFileSync('docker-compose', args, { encoding: 'utf8' });
    const all = (parse(text) as { services: Record<string, Service> }).services;
    const active = Object.entries(all).filter(
      ([, s]) => !s.profiles || s.profiles.some((p) => profiles.includes(p)),
    );
    configs.set(key, Object.fromEntries(active));
  }
  return configs.get(key)!;
}

const APP = ['web', 'worker', 'scheduler'];

describe('deployment files', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'caseboard-deploy-files-'));
  const emptyEnv = join(tmp, 'empty.env');
  writeFileSync(emptyEnv, '');
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('scripts/check-deploy.sh should pass on the shipped files and fail, naming the check, on a broken copy', () => {
    const shipped = spawnSync('bash', ['scripts/check-deploy.sh'], { encoding: 'utf8' });
    expect(shipped.stderr).toBe('');
    expect(shipped.status).toBe(0);

    const copy = join(tmp, 'broken');
    for (const f of ['Dockerfile', 'docker-compose.yml', 'deploy'])
      cpSync(f, join(copy, f), { recursive: true });
    const alerts = join(copy, 'deploy/prometheus/alerts.yml');
    // staleness measured per replica and summed: two web replicas would double the age
    writeFileSync(
      alerts,
      readFileSync(alerts, 'utf8').replace(
        'max by (source) (caseboard_data_age_seconds)',
        'sum by (source) (caseboard_data_age_seconds)',
      ),
    );
    const dashboard = join(copy, 'deploy/grafana/dashboards/caseboard.json');
    writeFileSync(dashboard, readFileSync(dashboard, 'utf8').replace('{', '{,'));
    const broken = spawnSync('bash', ['scripts/check-deploy.sh', copy], { encoding: 'utf8' });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('FAIL alerts.yml behaviour');
    expect(broken.stderr).toContain('CaseboardSyncStale');
    expect(broken.stderr).toContain('FAIL Grafana provisioning and dashboard JSON parse');
    expect(broken.stderr).toContain('check-deploy: 2 check(s) failed');
  });

  it('compose should run Redis with AOF on a volume, and every other service after it is healthy', () => {
    const services = composeConfig(emptyEnv);
    expect(Object.keys(services).sort()).toEqual([
      'grafana',
      'prometheus',
      'redis',
      'scheduler',
      'web',
      'worker',
    ]);
    const redis = services.redis;
    expect(redis.command?.join(' ')).toContain('--appendonly yes');
    expect(redis.volumes).toContainEqual('redis-data:/data:rw');
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    for (const name of APP) {
      expect([name, services[name].depends_on]).toEqual([
        name,
        { redis: { condition: 'service_healthy' } },
      ]);
      // the image's HEALTHCHECK applies: compose must not replace or disable it
      expect([name, services[name].healthcheck]).toEqual([name, undefined]);
    }
    expect(services.grafana.depends_on).toEqual({ prometheus: { condition: 'service_healthy' } });
    for (const name of ['prometheus', 'grafana']) expect(services[name].healthcheck).toBeDefined();
  });

  it('compose should let workers and schedulers scale: no host port, metrics port exposed', () => {
    const services = composeConfig(emptyEnv);
    for (const name of ['worker', 'scheduler']) {
      expect([name, services[name].ports]).toEqual([name, undefined]);
      expect([name, services[name].expose]).toEqual([name, ['9464']]);
      expect(services[name].command).toEqual([name]);
    }
    expect(services.web.command).toEqual(['web']);
  });

  it('the demo profile should add the IdP and the simulators, with healthchecks', () => {
    const services = composeConfig('deploy/demo.env', ['demo']);
    expect(services.idp.profiles).toContain('demo');
    expect(services.simulators.profiles).toEqual(['demo']);
    expect(services.simulators.healthcheck).toBeDefined();
    expect(readFileSync('deploy/idp/Dockerfile', 'utf8')).toMatch(/^HEALTHCHECK /m);
    expect(Object.keys(composeConfig(emptyEnv, ['dev']))).toContain('idp');
    // the web role reads the IdP certificate from the volume the IdP writes it to
    expect(services.web.environment?.SAML_IDP_CERT).toBe('/run/caseboard-idp/idp.crt');
    expect(services.web.volumes).toContainEqual('idp-cert:/run/caseboard-idp:ro');
    expect(services.idp.volumes).toContainEqual('idp-cert:/idp-cert:rw');
    expect(readFileSync('deploy/idp/run.sh', 'utf8')).toContain('/idp-cert/idp.crt');
  });

  it('Prometheus should scrape each role at the port it serves, with the token the app checks', () => {
    const services = composeConfig('deploy/demo.env', ['demo']);
    const prometheus = services.prometheus;
    const token = prometheus.environment?.METRICS_TOKEN;
    expect(token).toBe('demo-metrics-token');
    for (const name of APP)
      expect([name, services[name].environment?.METRICS_TOKEN]).toEqual([name, token]);

    const config = parse(readFileSync('deploy/prometheus/prometheus.yml', 'utf8')) as {
      rule_files: string[];
      scrape_configs: {
        job_name: string;
        authorization?: { credentials_file: string };
        dns_sd_configs?: { names: string[]; port: number }[];
      }[];
    };
    const mount = prometheus.volumes?.find((v) => v.endsWith(':/etc/prometheus:ro'));
    expect(mount && resolve(mount.split(':')[0])).toBe(resolve('deploy/prometheus'));
    const script = prometheus.command?.join(' ') ?? '';
    expect(script).toContain('--config.file=/etc/prometheus/prometheus.yml');
    const portOf: Record<string, string> = {
      web: services.web.environment?.PORT ?? '',
      worker: services.worker.expose?.[0] ?? '',
      scheduler: services.scheduler.expose?.[0] ?? '',
    };
    const jobs = config.scrape_configs.filter((j) => j.job_name.startsWith('caseboard-'));
    expect(jobs.map((j) => j.job_name).sort()).toEqual(APP.map((r) => `caseboard-${r}`).sort());
    for (const job of jobs) {
      const [sd] = job.dns_sd_configs ?? [];
      const [service] = sd.names;
      expect([job.job_name, service, String(sd.port)]).toEqual([
        job.job_name,
        job.job_name.replace('caseboard-', ''),
        portOf[service],
      ]);
      const file = job.authorization?.credentials_file ?? '';
      // written at start, from the same METRICS_TOKEN, on a tmpfs of the Prometheus container
      expect(script).toContain(`"$$METRICS_TOKEN" > ${file}`);
      expect(prometheus.tmpfs?.some((t) => file.startsWith(`${t}/`))).toBe(true);
    }
  });

  it('Grafana should be provisioned with the Prometheus service and the Caseboard dashboard', () => {
    const services = composeConfig(emptyEnv);
    const grafana = services.grafana;
    const datasources = parse(
      readFileSync('deploy/grafana/provisioning/datasources/prometheus.yml', 'utf8'),
    ) as { datasources: { uid: string; url: string }[] };
    expect(datasources.datasources.map((d) => d.url)).toEqual(['http://prometheus:9090']);
    const provider = parse(
      readFileSync('deploy/grafana/provisioning/dashboards/caseboard.yml', 'utf8'),
    ) as { providers: { options: { path: string } }[] };
    const dashboardsMount = grafana.volumes?.find((v) =>
      v.includes(`:${provider.providers[0].options.path}:`),
    );
    expect(dashboardsMount && resolve(dashboardsMount.split(':')[0])).toBe(
      resolve('deploy/grafana/dashboards'),
    );
    expect(grafana.volumes).toContainEqual(
      `${resolve('deploy/grafana/provisioning')}:/etc/grafana/provisioning:ro`,
    );

    const dashboard = JSON.parse(
      readFileSync('deploy/grafana/dashboards/caseboard.json', 'utf8'),
    ) as { uid: string; panels: { id: number; type: string; datasource?: { uid: string } }[] };
    expect(dashboard.uid).toBe('caseboard');
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const uids = new Set(
      dashboard.panels.filter((p) => p.type !== 'row').map((p) => p.datasource?.uid),
    );
    expect([...uids]).toEqual([datasources.datasources[0].uid]);
  });

  it('the Dockerfile should build on Node 24, keep only production dependencies and run as non-root', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^node:24[-\w.]*/);
    expect(stages[0]).toMatch(/npm prune --omit=dev/);
    const final = stages.at(-1) ?? '';
    expect(final).toMatch(/^USER (?!root)\w+/m);
    expect(final).toMatch(/^HEALTHCHECK .*\\\n\s+CMD \["node", "bin\/healthcheck"\]/m);
    expect(final).toMatch(/^ENTRYPOINT \["node", "dist\/main.js"\]/m);
    expect(final).not.toMatch(/COPY (?!--from)[^\n]*\bsrc\b/);
  });
});
