import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulators, type RunningSimulators } from '../../simulators/index.js';
import { spawnNode, waitFor, type Spawned } from '../../support/processes.js';
import { deletePrefix, testEnv, uniquePrefix } from '../../support/test-context.js';

export type Role = 'web' | 'worker' | 'scheduler';
export const ROLES: readonly Role[] = ['web', 'worker', 'scheduler'];

export interface RoleProcess {
  role: Role;
  /** Where this process serves /metrics and /health/*: the web port, or METRICS_PORT. */
  port: number;
  env: Record<string, string>;
  proc: Spawned;
}

export interface DeployStack {
  sims: RunningSimulators;
  metricsToken: string;
  processes: RoleProcess[];
  /** /metrics of one process, read with the bearer. */
  scrape(role: Role): Promise<string>;
  stop(): Promise<void>;
}

/** Waits for `promise` at most `ms`, leaving no timer behind (jest waits for open timers). */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Caseboard as compose runs it: one process per role (web, worker, scheduler) on one Redis
 * prefix, against the simulators, each with its own metrics endpoint. The scheduler enqueues a
 * first sync of every never-synced source at start, so the worker syncs without waiting for cron.
 */
export async function startDeployStack(name: string): Promise<DeployStack> {
  const prefix = uniquePrefix(name);
  const dir = mkdtempSync(join(tmpdir(), 'caseboard-deploy-'));
  const sims = await startSimulators({ seed: 73, glpi: 120, jira: 40, bugzilla: 40 });
  const metricsToken = `metrics-${prefix}`;
  const webPort = await freePort();
  const baseUrl = `http://127.0.0.1:${webPort}`;
  // The web role only needs a well-formed IdP certificate to boot; no sign-in happens here.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=deploy-test',
    ].concat(['-keyout', 'key.pem', '-out', 'cert.pem']),
    { stdio: 'ignore', input: '', timeout: 30_000, cwd: dir },
  );
  const base = testEnv(prefix, {
    ...sims.env,
    LOG_LEVEL: 'warn',
    METRICS_TOKEN: metricsToken,
    METRICS_HOST: '127.0.0.1',
    HOST: '127.0.0.1',
    PORT: String(webPort),
    BASE_URL: baseUrl,
    SESSION_SECRET: 'deploy-test-session-secret-0123456789abcdef',
    SAML_ENTRY_POINT: 'http://127.0.0.1:9/sso',
    SAML_ISSUER: `${baseUrl}/saml/metadata`,
    SAML_IDP_ISSUER: 'http://127.0.0.1:9/idp',
    SAML_IDP_CERT: readFileSync(join(dir, 'cert.pem'), 'utf8'),
  });
  const processes: RoleProcess[] = [];
  for (const role of ROLES) {
    const port = role === 'web' ? webPort : await freePort();
    const env = role === 'web' ? base : { ...base, METRICS_PORT: String(port) };
    processes.push({ role, port, env, proc: spawnNode(['dist/main.js', role], env) });
  }
  const stack: DeployStack = {
    sims,
    metricsToken,
    processes,
    scrape: async (role) => {
      const { port } = processes.find((p) => p.role === role)!;
      const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
        headers: { authorization: `Bearer ${metricsToken}` },
      });
      if (!response.ok) throw new Error(`${role} /metrics answered HTTP ${response.status}`);
      return response.text();
    },
    stop: async () => {
      for (const { proc } of processes) proc.child.kill('SIGTERM');
      await Promise.all(processes.map(({ proc }) => settleWithin(proc.exited, 10_000)));
      for (const { proc } of processes)
        if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
      await sims.close();
      await deletePrefix(prefix);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    for (const { role, port, proc } of processes) {
      await waitFor(
        `${role} to answer /health/live on ${port}`,
        async () => {
          if (proc.child.exitCode !== null) throw new Error(`${role} exited:\n${proc.output()}`);
          const response = await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null);
          return response?.ok;
        },
        60_000,
      );
    }
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}
