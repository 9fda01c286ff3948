import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UpstreamPolicy } from '../../config/app-config.js';
import {
  UpstreamAuthError,
  UpstreamHttpError,
  UpstreamNetworkError,
  UpstreamPayloadError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  redactUrl,
} from '../upstream.errors.js';
import { UpstreamHttpClient } from './upstream-http.client.js';
import type { UpstreamObserver } from './upstream-observer.js';

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

interface Hit {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** One real local server for the file; each test scripts it through `handler`. */
let server: Server;
let baseUrl: string;
let handler: Handler;
let hits: Hit[];

function json(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    // No keep-alive: a socket a test tears down must not be reused by the next test.
    res.setHeader('Connection', 'close');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        at: performance.now(),
      });
      handler(req, res, hits.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rest/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  hits = [];
  handler = (_req, res) => json(res, 200, { ok: true });
});

afterEach(() => {
  // Drop requests a test left hanging so they cannot leak into the next one.
  server.closeAllConnections();
});

function aPolicy(overrides: Partial<UpstreamPolicy> = {}): UpstreamPolicy {
  return {
    timeoutMs: 2000,
    retries: 2,
    retryBaseMs: 5,
    retryMaxMs: 50,
    concurrency: 4,
    ratePerSecond: 0,
    breakerThreshold: 100,
    breakerResetMs: 60_000,
    ...overrides,
  };
}

function anObserver() {
  const requests: Parameters<UpstreamObserver['request']>[0][] = [];
  const retries: Parameters<UpstreamObserver['retry']>[0][] = [];
  const breaker: Parameters<UpstreamObserver['breaker']>[0][] = [];
  const observer: UpstreamObserver = {
    request: (e) => void requests.push(e),
    retry: (e) => void retries.push(e),
    breaker: (e) => void breaker.push(e),
  };
  return { observer, requests, retries, breaker };
}

function aClient(policy: Partial<UpstreamPolicy> = {}, observer = anObserver().observer) {
  return new UpstreamHttpClient('bugzilla', baseUrl, aPolicy(policy), observer);
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the request to fail');
}

describe(UpstreamHttpClient.name, () => {
  it('should send to a path under the base URL with query, headers and JSON body', async () => {
    const client = new UpstreamHttpClient(
      'jira',
      baseUrl,
      aPolicy(),
      anObserver().observer,
      undefined,
      { Authorization: 'Bearer t' },
    );
    const response = await client.request({
      method: 'POST',
      path: '/search',
      params: new URLSearchParams({ q: 'a b' }),
      body: { jql: 'project = OPS' },
      headers: { 'X-Extra': '1' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true });
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ method: 'POST', url: '/rest/search?q=a+b' });
    expect(JSON.parse(hits[0].body)).toEqual({ jql: 'project = OPS' });
    expect(hits[0].headers).toMatchObject({
      accept: 'application/json',
      authorization: 'Bearer t',
      'x-extra': '1',
    });
  });

  it('should return a non-JSON body as text and an empty body as undefined', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('pong');
    };
    expect((await aClient().request({ path: 'ping' })).body).toBe('pong');
    handler = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    expect((await aClient().request({ path: 'ping' })).body).toBeUndefined();
  });

  it('should retry a 500 and return the answer that follows', async () => {
    handler = (_req, res, hit) =>
      hit === 1 ? json(res, 500, { message: 'boom' }) : json(res, 200, { bugs: [] });
    const { observer, retries } = anObserver();
    const response = await aClient({}, observer).request({ path: 'bug' });
    expect(response.body).toEqual({ bugs: [] });
    expect(hits).toHaveLength(2);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ source: 'bugzilla', attempt: 1 });
    expect(retries[0].reason).toContain('HTTP 500: boom');
  });

  it('should wait as long as Retry-After asks on a 429', async () => {
    handler = (_req, res, hit) =>
      hit === 1 ? json(res, 429, {}, { 'Retry-After': '1' }) : json(res, 200, { ok: 1 });
    const { observer, retries } = anObserver();
    const started = performance.now();
    await aClient({ retryMaxMs: 5000 }, observer).request({ path: 'bug' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(hits[1].at - hits[0].at).toBeGreaterThanOrEqual(900);
    expect(retries.map((r) => r.delayMs)).toEqual([1000]);
  });

  it('should give up after the configured retries with the last HTTP error', async () => {
    handler = (_req, res) => json(res, 503, { message: 'maintenance' });
    const error = await failure(aClient({ retries: 2 }).request({ path: 'bug' }));
    expect(error).toBeInstanceOf(UpstreamHttpError);
    expect(error).toMatchObject({ status: 503, transient: true, source: 'bugzilla' });
    expect(error.message).toBe(`bugzilla: HTTP 503: maintenance (GET ${baseUrl}bug)`);
    expect(hits).toHaveLength(3);
  });

  it('should not retry a 400', async () => {
    handler = (_req, res) => json(res, 400, { errorMessages: ['bad JQL'] });
    const error = await failure(aClient().request({ path: 'search' }));
    expect(error).toBeInstanceOf(UpstreamHttpError);
    expect(error).toMatchObject({ status: 400, transient: false });
    expect(error.message).toContain('bad JQL');
    expect(hits).toHaveLength(1);
  });

  it('should raise an auth error without retrying on 401 and 403', async () => {
    for (const status of [401, 403]) {
      hits = [];
      handler = (_req, res) => json(res, status, { message: 'no' });
      const error = await failure(aClient().request({ path: 'bug' }));
      expect(error).toBeInstanceOf(UpstreamAuthError);
      expect(error).toMatchObject({ status, transient: false });
      expect(hits).toHaveLength(1);
    }
  });

  it("should use the adapter's error mapper first", async () => {
    handler = (_req, res) => json(res, 400, { code: 306, message: 'bad key' });
    const client = new UpstreamHttpClient(
      'bugzilla',
      baseUrl,
      aPolicy(),
      anObserver().observer,
      (response, details) =>
        (response.body as { code?: number }).code === 306
          ? new UpstreamAuthError(details, response.status, 'mapped')
          : undefined,
    );
    const error = await failure(client.request({ path: 'bug' }));
    expect(error).toBeInstanceOf(UpstreamAuthError);
    expect(error.message).toContain('mapped');
  });

  it('should time out a request the server never answers', async () => {
    handler = () => undefined;
    const started = performance.now();
    const error = await failure(aClient({ timeoutMs: 100, retries: 0 }).request({ path: 'bug' }));
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect(error.message).toContain('no response within 100 ms');
    expect(performance.now() - started).toBeLessThan(1500);
    expect(hits).toHaveLength(1);
  });

  it('should retry a timeout as transient', async () => {
    handler = (_req, res, hit) => (hit === 1 ? undefined : json(res, 200, { ok: 2 }));
    const response = await aClient({ timeoutMs: 100, retries: 1 }).request({ path: 'bug' });
    expect(response.body).toEqual({ ok: 2 });
    expect(hits).toHaveLength(2);
  });

  it('should report a reset connection as a network error after retrying', async () => {
    handler = (req) => req.socket.destroy();
    const { observer, requests } = anObserver();
    const error = await failure(aClient({ retries: 1 }, observer).request({ path: 'bug' }));
    expect(error).toBeInstanceOf(UpstreamNetworkError);
    expect(error).toMatchObject({ transient: true });
    expect(hits).toHaveLength(2);
    expect(requests.map((r) => r.status)).toEqual(['error', 'error']);
  });

  it('should retry a 200 with malformed JSON as a transient payload error', async () => {
    handler = (_req, res, hit) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(hit === 1 ? '{"bugs": [' : '{"bugs": []}');
    };
    expect((await aClient().request({ path: 'bug' })).body).toEqual({ bugs: [] });
    expect(hits).toHaveLength(2);
  });

  it('should fail with a transient payload error when malformed JSON persists', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"bugs": [');
    };
    const error = await failure(aClient({ retries: 1 }).request({ path: 'bug' }));
    expect(error).toBeInstanceOf(UpstreamPayloadError);
    expect(error).toMatchObject({ transient: true });
    expect(error.message).toContain('response is not valid JSON (10 bytes)');
    expect(hits).toHaveLength(2);
  });

  describe('circuit breaker', () => {
    it('should open after the threshold and then fail fast without calling the server', async () => {
      handler = (_req, res) => json(res, 500, { message: 'down' });
      const { observer, breaker } = anObserver();
      const client = aClient({ breakerThreshold: 2, retries: 0 }, observer);
      expect(await failure(client.request({ path: 'bug' }))).toBeInstanceOf(UpstreamHttpError);
      expect(client.breakerState).toBe('closed');
      expect(await failure(client.request({ path: 'bug' }))).toBeInstanceOf(UpstreamHttpError);
      expect(client.breakerState).toBe('open');
      expect(breaker).toEqual([{ source: 'bugzilla', state: 'open' }]);

      const started = performance.now();
      const error = await failure(client.request({ path: 'bug' }));
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error).toMatchObject({ transient: true });
      expect(performance.now() - started).toBeLessThan(200);
      expect(hits).toHaveLength(2);
    });

    it('should not call the server while open even when retries remain', async () => {
      handler = (_req, res) => json(res, 500, {});
      const client = aClient({ breakerThreshold: 1, retries: 3 });
      // The first attempt opens the breaker; the three retries are refused before any I/O.
      expect(await failure(client.request({ path: 'bug' }))).toBeInstanceOf(
        UpstreamUnavailableError,
      );
      expect(hits).toHaveLength(1);
      expect(await failure(client.request({ path: 'bug' }))).toBeInstanceOf(
        UpstreamUnavailableError,
      );
      expect(hits).toHaveLength(1);
    });

    it('should not count permanent errors towards opening', async () => {
      handler = (_req, res) => json(res, 404, {});
      const client = aClient({ breakerThreshold: 2, retries: 0 });
      for (let i = 0; i < 3; i++) await failure(client.request({ path: 'bug/1' }));
      expect(client.breakerState).toBe('closed');
      expect(hits).toHaveLength(3);
    });

    it('should try again after the reset time and close on success', async () => {
      handler = (_req, res, hit) => (hit === 1 ? json(res, 500, {}) : json(res, 200, { ok: 1 }));
      const { observer, breaker } = anObserver();
      const client = aClient({ breakerThreshold: 1, breakerResetMs: 50, retries: 0 }, observer);
      await failure(client.request({ path: 'bug' }));
      expect(client.breakerState).toBe('open');
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect((await client.request({ path: 'bug' })).body).toEqual({ ok: 1 });
      expect(client.breakerState).toBe('closed');
      expect(breaker.map((e) => e.state)).toEqual(['open', 'half-open', 'closed']);
    });
  });

  it('should keep at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    handler = (_req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        json(res, 200, { ok: true });
      }, 30);
    };
    const client = aClient({ concurrency: 2 });
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => client.request({ path: `bug/${i}` })),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(hits).toHaveLength(6);
    expect(maxInFlight).toBe(2);
  });

  it('should report each request with its status and duration to the observer', async () => {
    handler = (_req, res, hit) => (hit === 1 ? json(res, 502, {}) : json(res, 200, {}));
    const { observer, requests, retries } = anObserver();
    await aClient({}, observer).request({ method: 'POST', path: 'bug' });
    expect(requests.map(({ source, method, status }) => ({ source, method, status }))).toEqual([
      { source: 'bugzilla', method: 'POST', status: 502 },
      { source: 'bugzilla', method: 'POST', status: 200 },
    ]);
    for (const r of requests) expect(r.durationMs).toBeGreaterThanOrEqual(0);
    expect(retries).toHaveLength(1);
    expect(retries[0].delayMs).toBeGreaterThanOrEqual(2);
    expect(retries[0].delayMs).toBeLessThanOrEqual(5);
  });

  it('should stop with the abort reason, without retrying, once the caller aborts', async () => {
    handler = () => undefined;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = performance.now();
    const error = await failure(
      aClient({ retries: 3 }).request({ path: 'bug', signal: controller.signal }),
    );
    expect((error as DOMException).name).toBe('AbortError');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(hits).toHaveLength(1);
  });

  it('should redact secrets from the URL in error messages', async () => {
    handler = (_req, res) => json(res, 400, { message: 'nope' });
    const params = new URLSearchParams({ product: 'Foo', api_key: 's3cr3t' });
    const error = await failure(aClient().request({ path: 'bug', params }));
    expect(hits[0].url).toBe('/rest/bug?product=Foo&api_key=s3cr3t');
    expect(error.message).toContain(`GET ${baseUrl}bug?product=Foo&api_key=***`);
    expect(error.message).not.toContain('s3cr3t');
    expect((error as UpstreamHttpError).url).not.toContain('s3cr3t');
  });
});

describe(redactUrl.name, () => {
  it('should mask every credential parameter and keep the others', () => {
    expect(
      redactUrl(
        'https://x/rest/bug?api_key=a&product=P&Bugzilla_api_key=b&user_token=c&token=d&password=e#top',
      ),
    ).toBe(
      'https://x/rest/bug?api_key=***&product=P&Bugzilla_api_key=***&user_token=***&token=***&password=***#top',
    );
  });

  it('should match parameter names in any case and leave look-alikes alone', () => {
    expect(redactUrl('https://x/?API_KEY=a&my_token=b')).toBe('https://x/?API_KEY=***&my_token=b');
  });

  it('should leave a URL without secrets unchanged', () => {
    expect(redactUrl('https://x/rest/bug?id=1')).toBe('https://x/rest/bug?id=1');
  });
});
