import { startSimulators, type RunningSimulators } from '../../simulators/index.js';
import { runNode, spawnNode, waitFor, type Spawned } from '../../support/processes.js';
import { deletePrefix, testEnv, uniquePrefix } from '../../support/test-context.js';
import { caseboardSamlEnv, freePort, startIdp, type IdpHandle } from './idp.js';

export interface AppStack {
  baseUrl: string;
  /** The environment the app runs with (Redis, upstreams, SAML): bin scripts take it too. */
  env: Record<string, string>;
  sims: RunningSimulators;
  idp: IdpHandle;
  prefix: string;
  app: Spawned;
  /** An API token for a role, made with bin/token. */
  token(role: 'engineer' | 'partner' | 'lead' | 'admin', accounts?: string[]): Promise<string>;
  stop(): Promise<void>;
}

export interface StackOptions {
  name: string;
  seed?: number;
  glpi?: number;
  jira?: number;
  bugzilla?: number;
  env?: Record<string, string>;
  /** The IdP's assertion lifetime (s), for expiry probes. */
  assertionLifetime?: number;
}

/**
 * The whole product for an end-to-end spec: simulators, a real SimpleSAMLphp IdP, one synced
 * store (own key prefix) and Caseboard running all three roles as a separate process.
 */
export async function startStack(options: StackOptions): Promise<AppStack> {
  const prefix = uniquePrefix(options.name);
  const sims = await startSimulators({
    seed: options.seed ?? 61,
    glpi: options.glpi ?? 300,
    jira: options.jira ?? 80,
    bugzilla: options.bugzilla ?? 80,
  });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let idp: IdpHandle | undefined;
  try {
    idp = await startIdp({ spBaseUrl: baseUrl, assertionLifetime: options.assertionLifetime });
    return await startApp(options, prefix, sims, idp, port, baseUrl);
  } catch (error) {
    // A stack that failed to start must not leave its IdP or simulators behind.
    await idp?.stop();
    await sims.close();
    throw error;
  }
}

async function startApp(
  options: StackOptions,
  prefix: string,
  sims: Awaited<ReturnType<typeof startSimulators>>,
  idp: IdpHandle,
  port: number,
  baseUrl: string,
): Promise<AppStack> {
  const env = testEnv(prefix, {
    ...sims.env,
    ...caseboardSamlEnv(idp, baseUrl),
    HOST: '127.0.0.1',
    PORT: String(port),
    CASEBOARD_ROLES: 'web,worker,scheduler',
    INDEX_REFRESH_MS: '200',
    METRICS_TOKEN: 'e2e-metrics-token-0123456789',
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  const sync = await runNode(['bin/sync'], env, 120_000);
  if (sync.code !== 0) throw new Error(`first sync failed:\n${sync.stderr}`);
  const app = spawnNode(['dist/main.js'], env);
  const stopApp = async () => {
    app.child.kill('SIGTERM');
    await Promise.race([app.exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (app.child.exitCode === null) app.child.kill('SIGKILL');
  };
  try {
    await waitFor(
      'Caseboard to answer',
      async () => {
        if (app.child.exitCode !== null) throw new Error(`Caseboard exited:\n${app.output()}`);
        const response = await fetch(`${baseUrl}/health/live`).catch(() => null);
        return response?.ok;
      },
      60_000,
    );
  } catch (error) {
    await stopApp();
    throw error;
  }
  return {
    baseUrl,
    env,
    sims,
    idp,
    prefix,
    app,
    token: async (role, accounts) => {
      const args = ['bin/token', 'create', '--name', `e2e-${role}`, '--role', role];
      if (accounts) args.push('--accounts', accounts.join(','));
      const result = await runNode(args, env);
      if (result.code !== 0) throw new Error(`bin/token failed: ${result.stderr}`);
      return result.stdout.trim().split('\n').at(-1)!;
    },
    stop: async () => {
      await stopApp();
      await idp.stop();
      await sims.close();
      await deletePrefix(prefix);
    },
  };
}
