import { createHmac, randomBytes } from 'node:crypto';
import { Agent, get, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { SyncService } from '../../../src/sync/sync.service.js';
import { SyncRunnerModule } from '../../../src/sync/worker.module.js';
import { createSigningKey } from '../../e2e/support/saml-probe.js';
import { glpiFollowups } from '../../simulators/glpi.records.js';
import { World, startSimulators, type RunningSimulators } from '../../simulators/index.js';
import { spawnNode, waitFor, type Spawned } from '../../support/processes.js';
import { freePort } from '../../support/redis-server.js';
import {
  createTestContext,
  deletePrefix,
  testEnv,
  testRedisUrl,
  uniquePrefix,
} from '../../support/test-context.js';

const SEED = 43;
const COUNTS = { glpi: 60, jira: 10, bugzilla: 10 };
const SESSION_SECRET = randomBytes(24).toString('hex');
const FOLLOWUPS_PATH = /\/Ticket\/\d+\/ITILFollowup$/;
/** The contract: a SIGTERM'd process is gone within 30 s. */
const EXIT_WITHIN_MS = 30_000;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function request(port: number, path: string, cookie: string, agent: Agent | false) {
  let socket: Socket | undefined;
  const answer = new Promise<Answer>((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent, headers: { cookie } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('socket', (s) => (socket = s));
    req.on('error', reject);
  });
  return { answer, socket: () => socket };
}

/** Resolves true once a fresh TCP connection is refused, false while they are accepted. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** A session as the SAML callback leaves it, stored where the session middleware reads it. */
async function signedInCookie(prefix: string): Promise<string> {
  const sid = randomBytes(16).toString('hex');
  const maxAge = 3_600_000;
  const session = {
    cookie: {
      originalMaxAge: maxAge,
      expires: new Date(Date.now() + maxAge).toISOString(),
      httpOnly: true,
      path: '/',
      sameSite: 'lax',
      secure: false,
    },
    user: { id: 'ada', name: 'Ada', email: null, roles: ['admin'], accounts: null, via: 'saml' },
    signedInAt: Date.now(),
  };
  const redis = new Redis(testRedisUrl());
  try {
    await redis.set(`${prefix}sess:${sid}`, JSON.stringify(session), 'EX', 3600);
  } finally {
    redis.disconnect();
  }
  const mac = createHmac('sha256', SESSION_SECRET).update(sid).digest('base64').replace(/=+$/, '');
  return `caseboard.sid=${encodeURIComponent(`s:${sid}.${mac}`)}`;
}

describe('web process stopped with SIGTERM', () => {
  const prefix = uniquePrefix('web-term');
  const apps: Spawned[] = [];
  let sims: RunningSimulators;
  let cookie: string;
  let casePaths: string[];
  let idpCert: string;

  beforeAll(async () => {
    sims = await startSimulators({ seed: SEED, ...COUNTS });
    const ctx = await createTestContext(testEnv(prefix, sims.env), [SyncRunnerModule]);
    await ctx.app.get(SyncService).run('glpi', 'full');
    await ctx.close();
    // Tickets whose page shows comments, so a served page proves the slow upstream call ended.
    const world = World.create({ seed: SEED, ...COUNTS });
    casePaths = sims.glpi.tickets
      .filter((t) => glpiFollowups(world, t).some((f) => !f.isPrivate))
      .slice(0, 3)
      .map((t) => `/cases/glpi/${t.id}`);
    cookie = await signedInCookie(prefix);
    idpCert = createSigningKey('lifecycle-idp').certPem;
  });

  afterEach(() => sims.glpi.faults.clear());

  afterAll(async () => {
    for (const app of apps) app.child.kill('SIGKILL');
    await sims.close();
    await deletePrefix(prefix);
  });

  async function startWeb(extra: Record<string, string>) {
    const port = await freePort();
    const app = spawnNode(
      ['dist/main.js', 'web'],
      testEnv(prefix, {
        ...sims.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        BASE_URL: `http://127.0.0.1:${port}`,
        SESSION_SECRET,
        SAML_ENTRY_POINT: 'http://127.0.0.1:9/sso',
        SAML_ISSUER: `http://127.0.0.1:${port}/saml/metadata`,
        SAML_IDP_ISSUER: 'http://127.0.0.1:9/idp',
        SAML_IDP_CERT: idpCert,
        LOG_LEVEL: 'info',
        ...extra,
      }),
    );
    apps.push(app);
    await waitFor('the web role to answer', async () => {
      if (app.child.exitCode !== null) throw new Error(`web exited:\n${app.output()}`);
      const response = await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null);
      return response?.ok;
    });
    return { port, app };
  }

  const pendingFollowups = () =>
    sims.glpi.requests.filter((r) => FOLLOWUPS_PATH.test(r.path) && r.status === 0).length;

  it('should refuse new connections, close idle ones, answer the requests in flight and exit 0', async () => {
    const { port, app } = await startWeb({});
    const keepAlive = new Agent({ keepAlive: true });
    const warmup = request(port, '/health/live', cookie, keepAlive);
    expect((await warmup.answer).status).toBe(200);
    const idleSocket = warmup.socket()!;
    let idleClosedWhileBusy: boolean | undefined;

    sims.glpi.faults.add({ kind: 'slow', path: FOLLOWUPS_PATH, delayMs: 1500, times: Infinity });
    // Keep-alive clients too: the server must be the one that ends their connections.
    const busy = new Agent({ keepAlive: true });
    let answered = 0;
    const inFlight = casePaths.map((path) => {
      const { answer } = request(port, path, cookie, busy);
      return answer.finally(() => answered++);
    });
    idleSocket.once('close', () => (idleClosedWhileBusy = answered === 0));
    await waitFor('every page to wait on its comments', () =>
      Promise.resolve(pendingFollowups() === casePaths.length),
    );

    const sent = Date.now();
    app.child.kill('SIGTERM');
    await waitFor('new connections to be refused', () => refused(port), 10_000);
    expect(answered).toBe(0);

    const answers = await Promise.all(inFlight);
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.headers.connection).toBe('close');
      expect(a.body).toContain('id="case-timeline"');
      expect(a.body).not.toContain('No comments or history available');
    }
    const code = await app.exited;
    expect({ code, output: app.output() }).toMatchObject({ code: 0 });
    expect(Date.now() - sent).toBeLessThan(EXIT_WITHIN_MS);
    expect(idleClosedWhileBusy).toBe(true);
    expect(app.output()).toContain(
      `SIGTERM: draining, ${casePaths.length} HTTP requests in flight`,
    );
    expect(app.output()).toContain('every request answered, every connection closed');
    expect(app.output()).toContain('shut down cleanly');
    keepAlive.destroy();
    busy.destroy();
  });

  it('should drop what is still in flight at SHUTDOWN_TIMEOUT_MS and exit 1 saying so', async () => {
    const { port, app } = await startWeb({ SHUTDOWN_TIMEOUT_MS: '1000' });
    sims.glpi.faults.add({ kind: 'slow', path: FOLLOWUPS_PATH, delayMs: 4000, times: Infinity });
    const stuck = request(port, casePaths[0], cookie, false).answer;
    const outcome = stuck.then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );
    await waitFor('the page to wait on its comments', () =>
      Promise.resolve(pendingFollowups() === 1),
    );

    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(1);
    expect(await outcome).toBe('ECONNRESET');
    expect(app.output()).toContain(
      'shutdown timeout of 1000 ms passed with 1 HTTP request in flight',
    );
  });
});
