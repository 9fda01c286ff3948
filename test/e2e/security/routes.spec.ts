import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Controller, Get, Post, RequestMethod } from '@nestjs/common';
import { CONTROLLER_WATERMARK, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from '../../../src/auth/auth.module.js';
import { AccessGuard } from '../../../src/auth/casl/access.guard.js';
import { POLICY_KEY, Public, type RoutePolicy } from '../../../src/auth/casl/policy.decorator.js';
import { startStack, type AppStack } from '../support/app-stack.js';
import { type CookieJar } from '../support/saml-probe.js';
import { anonymous, ask, isSignedIn, signIn, type Answer, type Caller } from './security-kit.js';

/*
 * Every route declares an access policy, and every route answers every kind of caller as the
 * table below says. The route list is read from the controllers' own metadata, so a new
 * controller or handler fails here until it has a policy and a row in the matrix.
 */

const SRC = resolve(__dirname, '../../../src');

interface DeclaredRoute {
  /** e.g. 'GET /cases/:source/:key' */
  route: string;
  where: string;
  policy: RoutePolicy | undefined;
}

type ControllerClass = abstract new (...args: never[]) => unknown;

/** Non-spec TypeScript under src/ that may hold controllers: by name, and by decorator. */
function controllerFiles(): string[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(SRC, f))
    .filter((f) => f.endsWith('.controller.ts') || /@Controller\s*\(/.test(readFileSync(f, 'utf8')))
    .sort();
}

function isController(value: unknown): value is ControllerClass {
  return typeof value === 'function' && Reflect.getMetadata(CONTROLLER_WATERMARK, value) === true;
}

/** Nest keeps a path as a string or a list of strings ('/' when none was given). */
const paths = (value: unknown): string[] => {
  if (value === undefined) return [''];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.map((p) => {
    if (typeof p !== 'string') throw new Error(`unexpected path metadata ${typeof p}`);
    return p;
  });
};

const joinPath = (...parts: string[]): string =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');

/** The routes of one controller class as Nest will register them, with the policy the guard reads. */
function routesOf(controller: ControllerClass, where: string): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  const prefixes = paths(Reflect.getMetadata(PATH_METADATA, controller));
  const seen = new Set<string>();
  for (
    let proto = controller.prototype as object | null;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || seen.has(name)) continue;
      seen.add(name);
      const handler = Object.getOwnPropertyDescriptor(proto, name)?.value as unknown;
      if (typeof handler !== 'function') continue;
      const handlerPaths = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
      if (handlerPaths === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      // the guard's lookup: getAllAndOverride([handler, class])
      const policy = (Reflect.getMetadata(POLICY_KEY, handler) ??
        Reflect.getMetadata(POLICY_KEY, controller)) as RoutePolicy | undefined;
      for (const prefix of prefixes) {
        for (const path of paths(handlerPaths)) {
          routes.push({
            route: `${method} ${joinPath(prefix, path)}`,
            where: `${where} ${controller.name}.${name}`,
            policy,
          });
        }
      }
    }
  }
  return routes;
}

function declaredRoutes(): { files: string[]; controllers: string[]; routes: DeclaredRoute[] } {
  const files = controllerFiles();
  const controllers: string[] = [];
  const routes: DeclaredRoute[] = [];
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(file) as Record<string, unknown>;
    for (const value of Object.values(exports)) {
      if (!isController(value)) continue;
      controllers.push(value.name);
      routes.push(...routesOf(value, relative(SRC, file)));
    }
  }
  return { files: files.map((f) => relative(SRC, f)), controllers, routes };
}

const POLICY_KINDS = new Set(['public', 'signed-in', 'ability']);
const hasPolicy = (r: DeclaredRoute) => r.policy !== undefined && POLICY_KINDS.has(r.policy.kind);

/** Routes anyone may call: each one here was reviewed; a new public route must be added by hand. */
/** Routes served by mounted Express routers (Bull Board), which no controller declares. */
const MOUNTED = ['GET /admin/queues', 'GET /admin/queues/api/queues'];

const REVIEWED_PUBLIC = [
  'GET /health/live',
  'GET /health/ready',
  // Prometheus has no session: /metrics checks its own bearer token (METRICS_TOKEN)
  'GET /metrics',
  'GET /login',
  'POST /login/callback',
  'GET /logout/callback',
  'POST /logout/callback',
  'GET /saml/metadata',
  'GET /signed-out',
];

// ---- the role × route matrix ---------------------------------------------------------------

const CALLERS = [
  'anonymous',
  'alice (engineer)',
  'bob (lead)',
  'carol (admin)',
  'dave (partner, Globex)',
  'engineer token',
  'lead token',
  'admin token',
  'partner token (Globex)',
] as const;
type CallerName = (typeof CALLERS)[number];

/**
 * page/json/csv/xml: 200 with that content type; login: 303 to /login?returnTo=<the path>;
 * idp: redirect to the IdP's SSO service; slo: redirect to the IdP's logout service;
 * a number: that status (JSON error body on /api, HTML error page elsewhere);
 * refused: 400 or 401, with no redirect (an ACS post without a SAML response).
 */
type Expected = 'page' | 'json' | 'csv' | 'xml' | 'login' | 'idp' | 'slo' | 'refused' | number;

interface Params {
  globexCase: string;
  otherCase: string;
  otherAccount: string;
  engineer: string;
}

interface Row {
  route: string;
  variant: string;
  path: (p: Params) => string;
  expected: Record<CallerName, Expected>;
}

function row(
  route: string,
  variant: string,
  path: (p: Params) => string,
  cells: [Expected, Expected, Expected, Expected, Expected, Expected, Expected, Expected, Expected],
): Row {
  const expected = Object.fromEntries(CALLERS.map((c, i) => [c, cells[i]])) as Record<
    CallerName,
    Expected
  >;
  return { route, variant, path, expected };
}

const enc = encodeURIComponent;

// prettier-ignore
const MATRIX: Row[] = [
  //                                                                    anon       alice     bob       carol     dave      t:eng     t:lead    t:admin   t:partner
  row('GET /health/live', '', () => '/health/live',                    ['json',    'json',   'json',   'json',   'json',   'json',   'json',   'json',   'json']),
  row('GET /health/ready', '', () => '/health/ready',                  ['json',    'json',   'json',   'json',   'json',   'json',   'json',   'json',   'json']),
  // API tokens and sessions are not the metrics token
  row('GET /metrics', '', () => '/metrics',                            [401,       401,      401,      401,      401,      401,      401,      401,      401]),
  // Bull Board: Express middleware, not a controller; the same rules applied by its own gate
  row('GET /admin/queues', '', () => '/admin/queues',                  ['login',   403,      403,      'page',   403,      403,      403,      'page',   403]),
  row('GET /admin/queues/api/queues', '', () => '/admin/queues/api/queues',
                                                                       [401,       403,      403,      'json',   403,      403,      403,      'json',   403]),
  row('GET /saml/metadata', '', () => '/saml/metadata',                ['xml',     'xml',    'xml',    'xml',    'xml',    'xml',    'xml',    'xml',    'xml']),
  row('GET /signed-out', '', () => '/signed-out',                      ['page',    'page',   'page',   'page',   'page',   'page',   'page',   'page',   'page']),
  row('GET /login', '', () => '/login?returnTo=%2Fcases',              ['idp',     'idp',    'idp',    'idp',    'idp',    'idp',    'idp',    'idp',    'idp']),
  row('GET /', '', () => '/',                                          ['login',   'page',   'page',   'page',   'page',   'login',  'login',  'login',  'login']),
  row('GET /cases', '', () => '/cases',                                ['login',   'page',   'page',   'page',   'page',   'login',  'login',  'login',  'login']),
  row('GET /cases/:source/:key', 'a Globex case',
    (p) => `/cases/${p.globexCase}`,                                   ['login',   'page',   'page',   'page',   'page',   'login',  'login',  'login',  'login']),
  row('GET /cases/:source/:key', 'another account\'s case',
    (p) => `/cases/${p.otherCase}`,                                    ['login',   'page',   'page',   'page',   404,      'login',  'login',  'login',  'login']),
  row('GET /cases/:source/:key', 'an unknown case',
    () => '/cases/jira/NOPE-999999',                                   ['login',   404,      404,      404,      404,      'login',  'login',  'login',  'login']),
  row('GET /accounts/:account', 'Globex',
    () => '/accounts/Globex',                                          ['login',   'page',   'page',   'page',   'page',   'login',  'login',  'login',  'login']),
  row('GET /accounts/:account', 'another account',
    (p) => `/accounts/${enc(p.otherAccount)}`,                         ['login',   'page',   'page',   'page',   404,      'login',  'login',  'login',  'login']),
  row('GET /engineers/:name', '', (p) => `/engineers/${enc(p.engineer)}`,
                                                                       ['login',   403,      'page',   'page',   403,      'login',  'login',  'login',  'login']),
  row('GET /reports/sprint', 'the last closed sprint of board 7',
    () => '/reports/sprint?board=7&sprint=last-closed',               ['login',   403,      'page',   'page',   403,      'login',  'login',  'login',  'login']),
  row('GET /sla', '', () => '/sla',                                    ['login',   'page',   'page',   'page',   'page',   'login',  'login',  'login',  'login']),
  row('GET /reports/weekly', '', () => '/reports/weekly',              ['login',   403,      'page',   'page',   403,      'login',  'login',  'login',  'login']),
  row('GET /reports/weekly', 'a bad since', () => '/reports/weekly?since=soon',
                                                                       ['login',   403,      400,      400,      403,      'login',  'login',  'login',  'login']),
  row('GET /api/v1/cases', '', () => '/api/v1/cases?limit=5',          [401,       'json',   'json',   'json',   'json',   'json',   'json',   'json',   'json']),
  row('GET /api/v1/cases/datatable', '',
    () => '/api/v1/cases/datatable?draw=1&start=0&length=10',          [401,       'json',   'json',   'json',   'json',   'json',   'json',   'json',   'json']),
  row('GET /api/v1/cases/export.csv', '',
    () => '/api/v1/cases/export.csv',                                  [401,       403,      'csv',    'csv',    403,      403,      'csv',    'csv',    403]),
  row('GET /api/v1/cases/:source/:key', 'a Globex case',
    (p) => `/api/v1/cases/${p.globexCase}`,                            [401,       'json',   'json',   'json',   'json',   'json',   'json',   'json',   'json']),
  row('GET /api/v1/cases/:source/:key', 'another account\'s case',
    (p) => `/api/v1/cases/${p.otherCase}`,                             [401,       'json',   'json',   'json',   404,      'json',   'json',   'json',   404]),
  row('GET /api/v1/cases/:source/:key', 'an unknown case',
    () => '/api/v1/cases/jira/NOPE-999999',                            [401,       404,      404,      404,      404,      404,      404,      404,      404]),
  row('GET /api/v1/stats', '', () => '/api/v1/stats',                  [401,       'json',   'json',   'json',   'json',   'json',   'json',   'json',   'json']),
  row('GET /api/v1/facets', '', () => '/api/v1/facets',                [401,       'json',   'json',   'json',   'json',   'json',   'json',   'json',   'json']),
  row('GET /api/v1/me', '', () => '/api/v1/me',                        [401,       'json',   'json',   'json',   'json',   'json',   'json',   'json',   'json']),
  row('GET /status', '', () => '/status',                              ['login',   'page',   'page',   'page',   'page',   'login',  'login',  'login',  'login']),
  row('GET /api/v1/status', '', () => '/api/v1/status',                [401,       'json',   'json',   'json',   'json',   'json',   'json',   'json',   'json']),
  row('GET /api/v1/status/jobs/:id', 'an unknown job',
    () => '/api/v1/status/jobs/sync%3Ajira%3Aincremental%3A1',          [401,       403,      403,      404,      403,      403,      403,      404,      403]),
  // The matrix posts no CSRF token: refused before any role is looked at (status-page.spec.ts
  // posts with the token, per role).
  row('POST /status/sync/:source', 'no CSRF token', () => '/status/sync/jira',
                                                                       [403,       403,      403,      403,      403,      403,      403,      403,      403]),
  row('GET /api/docs', '', () => '/api/docs',                          [401,       'json',   'json',   'json',   'json',   'json',   'json',   'json',   'json']),
  // Without a SAML message these endpoints have nothing to do: they must neither start a
  // sign-in at the IdP nor end the caller's session.
  row('POST /login/callback', 'no SAML response', () => '/login/callback',
                                                                       ['refused', 'refused','refused','refused','refused','refused','refused','refused','refused']),
  row('GET /logout/callback', 'no SAML message', () => '/logout/callback',
                                                                       [400,       400,      400,      400,      400,      400,      400,      400,      400]),
  row('POST /logout/callback', 'no SAML message', () => '/logout/callback',
                                                                       [400,       400,      400,      400,      400,      400,      400,      400,      400]),
  // last: it ends the session
  row('GET /logout', '', () => '/logout',                              ['login',   'slo',    'slo',    'slo',    'slo',    'login',  'login',  'login',  'login']),
];

const methodOf = (route: string) => route.split(' ')[0];

function isJsonError(answer: Answer, status: number): boolean {
  if (!answer.contentType.startsWith('application/json')) return false;
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  return (
    body.statusCode === status &&
    typeof body.message === 'string' &&
    typeof body.correlationId === 'string'
  );
}

/** Whether `answer` is what the matrix cell says. */
function matches(expected: Expected, answer: Answer, path: string, stack: AppStack): boolean {
  const redirect = answer.status === 302 || answer.status === 303;
  switch (expected) {
    case 'page':
      return answer.status === 200 && answer.contentType.startsWith('text/html');
    case 'json':
      return answer.status === 200 && answer.contentType.startsWith('application/json');
    case 'csv':
      return answer.status === 200 && answer.contentType.startsWith('text/csv');
    case 'xml':
      return answer.status === 200 && answer.contentType.includes('xml');
    case 'login':
      return answer.status === 303 && answer.location === `/login?returnTo=${enc(path)}`;
    case 'idp':
      return redirect && !!answer.location?.startsWith(stack.idp.ssoUrl);
    case 'slo':
      return redirect && !!answer.location?.startsWith(stack.idp.sloUrl);
    case 'refused':
      return answer.status === 400 || answer.status === 401;
    default:
      if (answer.status !== expected) return false;
      return path.startsWith('/api/') || path.startsWith('/admin/queues/api/')
        ? isJsonError(answer, expected)
        : answer.contentType.startsWith('text/html');
  }
}

const describeAnswer = (a: Answer) =>
  `${a.status}${a.location ? ` → ${a.location.slice(0, 90)}` : ''} (${a.contentType || 'no body type'})`;

describe('route access policies', () => {
  it('should find every controller file under src/ by name and by decorator', () => {
    const { files, controllers } = declaredRoutes();
    expect(files).toEqual(
      expect.arrayContaining([
        'api/api-docs.ts',
        'api/cases.controller.ts',
        'api/me.controller.ts',
        'api/stats.controller.ts',
        'auth/saml/saml.controller.ts',
        'ops/health/health.controller.ts',
        'ops/status/status.controller.ts',
        'web/pages.controller.ts',
      ]),
    );
    expect(controllers).toEqual(
      expect.arrayContaining([
        'ApiDocsController',
        'CasesApiController',
        'MeApiController',
        'StatsApiController',
        'SamlController',
        'HealthController',
        'StatusController',
        'PagesController',
      ]),
    );
    // a file named like a controller that exports none would be skipped silently
    const empty = files.filter((file) => {
      if (!file.endsWith('.controller.ts')) return false;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exports = require(join(SRC, file)) as Record<string, unknown>;
      return !Object.values(exports).some(isController);
    });
    expect(empty).toEqual([]);
  });

  it('should declare an access policy on every route handler', () => {
    const { routes } = declaredRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const missing = routes.filter((r) => !hasPolicy(r)).map((r) => `${r.route} (${r.where})`);
    expect(missing).toEqual([]);
  });

  it('should detect a handler without a policy (the check itself works)', () => {
    @Controller('probe')
    class ProbeController {
      @Public()
      @Get('open')
      open(): string {
        return 'open';
      }

      @Post('forgotten')
      forgotten(): string {
        return 'forgotten';
      }
    }
    const routes = routesOf(ProbeController, 'probe.ts');
    expect(routes.map((r) => r.route).sort()).toEqual(['GET /probe/open', 'POST /probe/forgotten']);
    expect(routes.filter((r) => !hasPolicy(r)).map((r) => r.route)).toEqual([
      'POST /probe/forgotten',
    ]);
  });

  it('should run every request through the access guard (global APP_GUARD)', () => {
    const providers = (Reflect.getMetadata('providers', AuthModule) ?? []) as unknown[];
    expect(providers).toContainEqual({ provide: APP_GUARD, useClass: AccessGuard });
  });

  it('should open only the reviewed routes to anonymous callers', () => {
    const open = declaredRoutes()
      .routes.filter((r) => r.policy?.kind === 'public')
      .map((r) => r.route)
      .sort();
    expect(open).toEqual([...REVIEWED_PUBLIC].sort());
  });

  it('should have a matrix row for every registered route, and none for a route that is gone', () => {
    const registered = [...new Set(declaredRoutes().routes.map((r) => r.route))].sort();
    const inMatrix = [...new Set(MATRIX.map((r) => r.route))]
      .filter((route) => !MOUNTED.includes(route))
      .sort();
    expect(inMatrix).toEqual(registered);
  });
});

describe('role × route matrix', () => {
  let stack: AppStack;
  let params: Params;
  const callers = new Map<CallerName, Caller>();
  const sessionUsers: Partial<Record<CallerName, 'alice' | 'bob' | 'carol' | 'dave'>> = {
    'alice (engineer)': 'alice',
    'bob (lead)': 'bob',
    'carol (admin)': 'carol',
    'dave (partner, Globex)': 'dave',
  };
  let adminFacets: {
    account: { value: string | null; count: number }[];
    assignee: { value: string | null }[];
  };

  beforeAll(async () => {
    stack = await startStack({ name: 'sec-routes' });
    const [engineer, lead, admin, partner] = await Promise.all([
      stack.token('engineer'),
      stack.token('lead'),
      stack.token('admin'),
      stack.token('partner', ['Globex']),
    ]);
    callers.set('anonymous', anonymous);
    callers.set('engineer token', { kind: 'token', token: engineer });
    callers.set('lead token', { kind: 'token', token: lead });
    callers.set('admin token', { kind: 'token', token: admin });
    callers.set('partner token (Globex)', { kind: 'token', token: partner });
    for (const [name, user] of Object.entries(sessionUsers)) {
      callers.set(name as CallerName, { kind: 'session', jar: await signIn(stack, user) });
    }
    const asAdmin = callers.get('admin token')!;
    const json = async <T>(path: string): Promise<T> => {
      const answer = await ask(stack.baseUrl, path, asAdmin);
      if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${answer.body}`);
      return JSON.parse(answer.body) as T;
    };
    adminFacets = await json('/api/v1/facets');
    const otherAccount = adminFacets.account.find((a) => a.value && a.value !== 'Globex')!.value!;
    type Page = { items: { source: string; key: string }[] };
    const first = async (account: string) => {
      const { items } = await json<Page>(`/api/v1/cases?account=${enc(account)}&limit=1`);
      return `${items[0].source}/${enc(items[0].key)}`;
    };
    params = {
      globexCase: await first('Globex'),
      otherCase: await first(otherAccount),
      otherAccount,
      engineer: adminFacets.assignee.find((a) => a.value)!.value!,
    };
  }, 120_000);
  afterAll(() => stack?.stop());

  it.each(CALLERS)('should answer %s on every route as the matrix says', async (name) => {
    let caller = callers.get(name)!;
    const mismatches: string[] = [];
    for (const r of MATRIX) {
      const path = r.path(params);
      const label = `${r.route}${r.variant ? ` (${r.variant})` : ''} ${path}`;
      const method = methodOf(r.route);
      // the cookie as it was before the request: a logout that only clears it in the browser
      // while the session lives on in Redis must not pass
      const cookieBefore = caller.kind === 'session' ? caller.jar.clone() : undefined;
      const answer = await ask(
        stack.baseUrl,
        path,
        caller,
        method === 'POST' ? { method, form: {} } : {},
      );
      const expected = r.expected[name];
      if (!matches(expected, answer, path, stack)) {
        mismatches.push(`${label}: expected ${expected}, got ${describeAnswer(answer)}`);
      }
      if (!cookieBefore) continue;
      const alive = await isSignedIn(stack.baseUrl, cookieBefore);
      if (r.route === 'GET /logout') {
        if (alive) mismatches.push(`${label}: the session still works after logout`);
      } else if (!alive) {
        mismatches.push(`${label}: ended the caller's session`);
        caller = { kind: 'session', jar: await signIn(stack, sessionUsers[name]!) };
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('should document every /api/v1 route in the OpenAPI document', async () => {
    const answer = await ask(stack.baseUrl, '/api/docs', callers.get('admin token')!);
    const doc = JSON.parse(answer.body) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const api = declaredRoutes()
      .routes.map((r) => r.route)
      .filter((route) => route.split(' ')[1].startsWith('/api/v1/'));
    expect(api).toContain('GET /api/v1/me');
    expect(documented.sort()).toEqual(expect.arrayContaining(api));
  });

  describe('data-level rules for the partner (Globex only)', () => {
    const globexCount = () => adminFacets.account.find((a) => a.value === 'Globex')!.count;
    const otherAccounts = () =>
      adminFacets.account.map((a) => a.value).filter((v): v is string => !!v && v !== 'Globex');
    const partners = (): [string, Caller][] => [
      ['dave', callers.get('dave (partner, Globex)')!],
      ['partner token', callers.get('partner token (Globex)')!],
    ];

    beforeAll(async () => {
      // the matrix logged dave out at its end
      callers.set('dave (partner, Globex)', { kind: 'session', jar: await signIn(stack, 'dave') });
    });

    it('should list, page and count only Globex cases', async () => {
      expect(globexCount()).toBeGreaterThan(0);
      for (const [who, caller] of partners()) {
        const list = await ask(stack.baseUrl, '/api/v1/cases?limit=500', caller);
        const body = JSON.parse(list.body) as { total: number; items: { account: string }[] };
        expect({ who, total: body.total }).toEqual({ who, total: globexCount() });
        expect(new Set(body.items.map((c) => c.account))).toEqual(new Set(['Globex']));

        const dt = await ask(stack.baseUrl, '/api/v1/cases/datatable?length=500', caller);
        const table = JSON.parse(dt.body) as {
          recordsTotal: number;
          recordsFiltered: number;
          data: { account: string }[];
        };
        expect({ who, total: table.recordsTotal, filtered: table.recordsFiltered }).toEqual({
          who,
          total: globexCount(),
          filtered: globexCount(),
        });
        expect(new Set(table.data.map((c) => c.account))).toEqual(new Set(['Globex']));

        const facets = await ask(stack.baseUrl, '/api/v1/facets', caller);
        const counts = JSON.parse(facets.body) as { account: { value: string }[] };
        expect(counts.account.map((a) => a.value)).toEqual(['Globex']);
      }
    });

    it('should tell each caller who they are, restriction included, and nothing secret', async () => {
      const me = async (name: CallerName) =>
        JSON.parse((await ask(stack.baseUrl, '/api/v1/me', callers.get(name)!)).body) as unknown;
      expect(await me('dave (partner, Globex)')).toEqual({
        name: expect.any(String) as string,
        email: expect.any(String) as string,
        roles: ['partner'],
        accounts: ['Globex'],
        via: 'saml',
      });
      expect(await me('partner token (Globex)')).toEqual({
        name: expect.any(String) as string,
        email: null,
        roles: ['partner'],
        accounts: ['Globex'],
        via: 'token',
      });
      expect(await me('lead token')).toMatchObject({ roles: ['lead'], accounts: null });
      // An admin reads every account, whatever accounts its token was given.
      const admin: Caller = { kind: 'token', token: await stack.token('admin', ['Globex']) };
      const answer = await ask(stack.baseUrl, '/api/v1/me', admin);
      expect(JSON.parse(answer.body)).toMatchObject({ roles: ['admin'], accounts: null });
    });

    it('should find nothing when filtering on another account', async () => {
      const other = otherAccounts()[0];
      for (const [who, caller] of partners()) {
        const list = await ask(stack.baseUrl, `/api/v1/cases?account=${enc(other)}`, caller);
        expect({ who, status: list.status, body: JSON.parse(list.body) as unknown }).toEqual({
          who,
          status: 200,
          body: { total: 0, items: [] },
        });
      }
    });

    /** Whole-word mentions only: an account "OPS" is not named by a linked issue key "OPS-12". */
    const namedIn = (text: string, account: string) =>
      new RegExp(`(?<![\\w-])${account.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(
        text,
      );

    it("should never name another account in the partner's pages and API answers", async () => {
      const [, dave] = partners()[0];
      const [, token] = partners()[1];
      const answers: [string, Answer][] = [];
      for (const path of ['/', '/cases', '/sla', '/accounts/Globex']) {
        answers.push([path, await ask(stack.baseUrl, path, dave)]);
      }
      for (const path of ['/api/v1/stats', '/api/v1/facets', '/api/v1/cases?limit=500']) {
        answers.push([`${path} (session)`, await ask(stack.baseUrl, path, dave)]);
        answers.push([`${path} (token)`, await ask(stack.baseUrl, path, token)]);
      }
      const leaks = answers.flatMap(([where, answer]) =>
        otherAccounts()
          .filter((account) => namedIn(answer.body, account))
          .map((account) => `${where} names ${account}`),
      );
      expect(answers.map(([where, a]) => `${where} ${a.status}`)).toEqual(
        answers.map(([where]) => `${where} 200`),
      );
      expect(leaks).toEqual([]);
    });

    it('should export for a lead exactly the rows the list counts', async () => {
      const lead = callers.get('lead token')!;
      const csv = await ask(stack.baseUrl, '/api/v1/cases/export.csv?account=Globex', lead);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
      const rows = csv.body.trim().split('\n').length - 1;
      expect(rows).toBe(globexCount());
    });
  });

  describe('tokens and sessions outside their reach', () => {
    it('should refuse an unknown bearer token on the API, and ignore it on pages', async () => {
      const bogus: Caller = { kind: 'token', token: `cbt_000000000000_${'A'.repeat(32)}` };
      const api = await ask(stack.baseUrl, '/api/v1/cases', bogus);
      expect(api.status).toBe(401);
      expect(isJsonError(api, 401)).toBe(true);
      const page = await ask(stack.baseUrl, '/cases', bogus);
      expect({ status: page.status, location: page.location }).toEqual({
        status: 303,
        location: '/login?returnTo=%2Fcases',
      });
    });

    it('should not let a bearer token borrow a session on pages (session wins only with its cookie)', async () => {
      const jar: CookieJar = await signIn(stack, 'alice');
      const adminToken = (callers.get('admin token') as { token: string }).token;
      // alice's cookie with an admin token: pages ignore the token, so alice stays an engineer
      const engineers = await ask(
        stack.baseUrl,
        `/engineers/${enc(params.engineer)}`,
        { kind: 'session', jar },
        { headers: { authorization: `Bearer ${adminToken}` } },
      );
      expect(engineers.status).toBe(403);
    });
  });
});
