import { spawn } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { caseboardSamlEnv, freePort, startIdp } from '../test/e2e/support/idp.js';
import { fetchWithCookies, mintResponse, postToAcs } from '../test/e2e/support/saml-probe.js';
import { startRedis, startSimulatorProcess, until } from './bench-support.js';
import { loadApart } from './load-child.js';
import type { LoadResult } from './load.js';
import type { WebPath } from './web-paths.js';

const CASES = { glpi: 75_000, jira: 17_000, bugzilla: 17_000 };
const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The web role's NODE_OPTIONS as docker-compose.yml ships them: the bench runs what ships. */
function shippedNodeOptions(): string {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
    services: { web: { environment?: Record<string, string> } };
  };
  return compose.services.web.environment?.NODE_OPTIONS ?? '';
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

function row(name: string, r: LoadResult): string {
  return `${name.padEnd(28)} ${r.perSecond.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  errors ${r.errors}`;
}

/** Starts the web role as it ships and waits until it answers. */
async function startWeb(
  env: Record<string, string>,
  nodeOptions: string,
  baseUrl: string,
  options: { log?: string; profile?: string } = {},
): Promise<ReturnType<typeof spawn>> {
  const profile = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${options.profile}`] : [];
  const nodeFlags = (process.env.BENCH_WEB_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const web = spawn(process.execPath, [...nodeFlags, ...profile, 'dist/main.js', 'web'], {
    env: { PATH: process.env.PATH ?? '', ...env, NODE_OPTIONS: nodeOptions },
    // BENCH_WEB_LOG=FILE keeps the web role's output (e.g. with BENCH_WEB_NODE_FLAGS=--trace-gc).
    stdio: options.log
      ? ['ignore', openSync(options.log, 'w'), openSync(options.log, 'a')]
      : 'ignore',
  });
  await until(
    'the web role',
    async () => (await fetch(`${baseUrl}/health/live`).catch(() => null))?.ok === true,
    60_000,
  );
  return web;
}

async function main(): Promise<void> {
  process.stderr.write('starting Redis, simulators and the IdP...\n');
  const redis = await startRedis();
  const sims = await startSimulatorProcess([
    '--glpi',
    String(CASES.glpi),
    '--jira',
    String(CASES.jira),
    '--bugzilla',
    String(CASES.bugzilla),
    '--host',
    '127.0.0.1',
  ]);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const idp = await startIdp({ spBaseUrl: baseUrl });
  const env: Record<string, string> = {
    ...sims.env,
    ...(caseboardSamlEnv(idp, baseUrl) as unknown as Record<string, string>),
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: 'bench:',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    // The benchmark is one user hammering the API: lift the per-user limit for it.
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_BURST: '100000000',
  };
  let app: ReturnType<typeof spawn> | undefined;
  let coldApp: ReturnType<typeof spawn> | undefined;
  try {
    process.stderr.write('syncing the cases into Redis...\n');
    const sync = await run(['bin/sync'], env);
    if (sync.code !== 0) throw new Error(`sync failed: ${sync.stderr}`);
    const token = (
      await run(['bin/token', 'create', '--name', 'bench', '--role', 'admin'], env)
    ).stdout
      .trim()
      .split('\n')
      .at(-1)!;
    if (process.env.BENCH_HOLD) {
      // Profiling aid: leave Redis, simulators and the IdP up with the cases synced, write the
      // web role's environment and the token to BENCH_HOLD, and wait for Ctrl-C.
      writeFileSync(process.env.BENCH_HOLD, JSON.stringify({ env, token, baseUrl }, null, 2));
      process.stderr.write(`environment in ${process.env.BENCH_HOLD}; Ctrl-C to stop\n`);
      await new Promise((resolve) => process.once('SIGINT', resolve));
      return;
    }
    const nodeOptions = process.env.BENCH_WEB_NODE_OPTIONS ?? shippedNodeOptions();
    const auth = { Authorization: `Bearer ${token}` };
    /** The web role with its index loaded (it answers /health/live before that). */
    const webAt = async (url: string, extra: Record<string, string>, options = {}) => {
      const web = await startWeb({ ...env, ...extra }, nodeOptions, url, options);
      const first = await fetch(`${url}/api/v1/cases?limit=1`, { headers: auth });
      return { web, total: ((await first.json()) as { total: number }).total };
    };
    const main = await webAt(
      baseUrl,
      {},
      {
        log: process.env.BENCH_WEB_LOG,
        profile: process.env.BENCH_PROFILE,
      },
    );
    app = main.web;
    const total = main.total;
    // A second web role with the index's view cache off, measured alongside: every page is a
    // filter and a sort over all cases, as for a view nobody asked for since the last sync.
    const coldPort = await freePort();
    const coldUrl = `http://127.0.0.1:${coldPort}`;
    coldApp = (await webAt(coldUrl, { PORT: String(coldPort), INDEX_VIEW_CACHE: '0' })).web;
    process.stderr.write(`web roles up with ${total} cases indexed\n`);

    // Warm up every path at full load (the first seconds after boot are JIT compilation and
    // the first full collection of the freshly loaded index, not the steady state the targets
    // are about), then measure them alternately so all see the same machine noise.
    // /api/v1/me is the trivial route behind what every API answer passes first: the bearer
    // token, the rate limit and the access policy. `cold` is the table's requests to the role
    // with the view cache off.
    const paths: Record<'health' | 'me' | 'table' | 'cold', WebPath> = {
      health: { kind: 'health', base: baseUrl },
      me: { kind: 'me', base: baseUrl, token },
      table: { kind: 'table', base: baseUrl, token },
      cold: { kind: 'table', base: coldUrl, token },
    };
    const results: Record<keyof typeof paths, LoadResult[]> = {
      health: [],
      me: [],
      table: [],
      cold: [],
    };
    const loadOf = (path: WebPath, seconds: number) =>
      loadApart({ path, connections: CONNECTIONS, seconds });
    for (const [name, path] of Object.entries(paths)) {
      await loadOf(path, name === 'health' || name === 'me' ? 2 : 4);
    }
    for (let round = 0; round < 2; round++) {
      for (const [name, path] of Object.entries(paths)) {
        results[name as keyof typeof paths].push(await loadOf(path, SECONDS / 2));
      }
    }
    const sum = (rs: LoadResult[]): LoadResult => {
      const requests = rs.reduce((n, r) => n + r.requests, 0);
      const seconds = rs.reduce((n, r) => n + r.seconds, 0);
      return {
        requests,
        seconds,
        errors: rs.reduce((n, r) => n + r.errors, 0),
        perSecond: requests / seconds,
        p50: Math.max(...rs.map((r) => r.p50)),
        p99: Math.max(...rs.map((r) => r.p99)),
        bytes: 0,
      };
    };
    const h = sum(results.health);
    const m = sum(results.me);
    const t = sum(results.table);
    const cold = sum(results.cold);
    const rss = rssMb(app.pid!);

    // /cases transfer for a signed-in browser: the HTML plus every script and stylesheet it loads, gzipped.
    const minted = await mintResponse({ baseUrl, username: 'alice', password: 'alicepass' });
    const signedIn = await postToAcs(minted);
    const page = await fetchWithCookies(`${baseUrl}/cases`, signedIn.spCookies);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/(?:vendor|static)\/[^"]+)"/g)].map(
      (m) => m[1],
    );
    let transfer = gzipSync(html).length;
    for (const asset of assets)
      transfer += gzipSync(
        Buffer.from(await (await fetch(`${baseUrl}${asset}`)).arrayBuffer()),
      ).length;

    console.log(
      `\nbench/web — ${total} cases, ${CONNECTIONS} connections, ${SECONDS} s per path, alternated`,
    );
    console.log(`web role NODE_OPTIONS: ${nodeOptions || '(none)'}\n`);
    console.log(row('GET /health/live', h));
    console.log(row('GET /api/v1/me (token)', m));
    console.log(row('DataTables filter+sort+page', t));
    console.log(row('  same, view cache off', cold));
    console.log(
      `\nDataTables throughput vs /health/live: ${(t.perSecond / h.perSecond).toFixed(2)}   (target ≥ 0.50)`,
    );
    console.log(
      `  same, view cache off: ${(cold.perSecond / h.perSecond).toFixed(2)} (no target: every page worked out from all cases)`,
    );
    console.log(
      `DataTables throughput vs /api/v1/me: ${(t.perSecond / m.perSecond).toFixed(2)}   (the trivial route through the same token, rate limit and access checks)`,
    );
    console.log(
      `DataTables p99 at ${CONNECTIONS} connections: ${t.p99.toFixed(1)} ms   (target ≤ 25 ms)`,
    );
    console.log(`  same, view cache off: ${cold.p99.toFixed(1)} ms`);
    console.log(
      `/cases transfer (HTML + ${assets.length} assets, gzip): ${(transfer / 1024).toFixed(0)} KB   (target ≤ 400 KB)`,
    );
    console.log(`web process RSS after the load: ${rss.toFixed(0)} MB   (target ≤ 400 MB)`);
  } finally {
    app?.kill('SIGTERM');
    coldApp?.kill('SIGTERM');
    await idp.stop();
    await sims.stop();
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
