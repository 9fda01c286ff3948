import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server } from 'node:http';
import type { Express } from 'express';
import { CaseboardExpressAdapter } from './express-adapter.js';

describe(CaseboardExpressAdapter.name, () => {
  let server: Server;

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('should create requests and responses that already have the prototypes Express gives them', async () => {
    const adapter = new CaseboardExpressAdapter();
    adapter.initHttpServer({});
    const app = adapter.getInstance<Express>();
    server = adapter.getHttpServer();
    const arrived: { request: boolean; response: boolean }[] = [];
    // Before Express sees them: what the HTTP server itself created.
    server.prependListener('request', (req: IncomingMessage, res: unknown) =>
      arrived.push({
        request: Object.getPrototypeOf(req) === app.request,
        response: Object.getPrototypeOf(res) === app.response,
      }),
    );
    app.get('/echo', (req, res) => {
      // Express's own request and response methods and `app` still work on them.
      res.set('X-Echo', req.get('x-probe') ?? '');
      res.json({ sameApp: req.app === app && res.app === app, query: req.query.q });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/echo?q=1`, {
      headers: { 'X-Probe': 'hello' },
    });
    expect(response.headers.get('x-echo')).toBe('hello');
    expect(await response.json()).toEqual({ sameApp: true, query: '1' });
    expect(arrived).toEqual([{ request: true, response: true }]);
  });
});
