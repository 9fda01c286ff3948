import { BugzillaSimulator } from './bugzilla.simulator.js';
import { handleControl, parseFaultRule } from './control.js';

describe(handleControl.name, () => {
  let sim: BugzillaSimulator;
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${sim.url}/_sim/${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const version = () => fetch(`${sim.url}/rest/version`);

  beforeAll(async () => {
    sim = await BugzillaSimulator.start({ bugs: 50 });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.faults.clear();
    sim.requests.length = 0;
  });

  it('should answer health and keep control requests out of the log', async () => {
    const res = await control('GET', 'health');
    expect(await res.json()).toEqual({ status: 'ok', system: 'bugzilla', url: sim.url });
    expect(sim.requests).toHaveLength(0);
  });

  it('should add a fault with a regex path, fire it, and count statuses', async () => {
    const added = await control('POST', 'faults', {
      kind: 'status500',
      path: { regex: '^/rest/ver' },
      times: 'Infinity',
    });
    expect(added.status).toBe(201);
    expect((await version()).status).toBe(500);
    expect((await version()).status).toBe(500);
    expect(sim.requests.map((r) => [r.path, r.status, r.fault])).toEqual([
      ['/rest/version', 500, 'status500'],
      ['/rest/version', 500, 'status500'],
    ]);
    const stats = (await (await control('GET', 'stats')).json()) as {
      byStatus: Record<string, number>;
    };
    expect(stats.byStatus['500']).toBeGreaterThanOrEqual(2);
    await control('DELETE', 'faults');
    expect((await version()).status).toBe(200);
  });

  it('should mutate over HTTP and return the changed keys', async () => {
    const res = await control('POST', 'mutate', { count: 2 });
    const { keys } = (await res.json()) as { keys: string[] };
    expect(keys).toHaveLength(2);
    expect(
      sim.bugs
        .slice(-2)
        .map((b) => b.key)
        .sort(),
    ).toEqual([...keys].sort());
    expect((await control('POST', 'mutate', { count: -1 })).status).toBe(400);
  });

  it('should remove and update by key, 404 for unknown keys', async () => {
    const key = sim.bugs[0].key;
    expect((await control('POST', 'update', { key, patch: { summary: 'Edited' } })).status).toBe(
      200,
    );
    expect(sim.bug(key)!.summary).toBe('Edited');
    expect((await control('POST', 'remove', { key })).status).toBe(200);
    expect((await control('POST', 'remove', { key })).status).toBe(404);
  });

  it('should hang on timeout until the client aborts', async () => {
    sim.faults.add({ kind: 'timeout' });
    await expect(
      fetch(`${sim.url}/rest/version`, { signal: AbortSignal.timeout(150) }),
    ).rejects.toThrow();
    expect(sim.requests[0]).toMatchObject({ status: 0, fault: 'timeout' });
  });

  it('should reset the connection without a response', async () => {
    sim.faults.add({ kind: 'reset' });
    await expect(version()).rejects.toThrow();
  });

  it('should delay a slow response and then answer normally', async () => {
    sim.faults.add({ kind: 'slow', delayMs: 120 });
    const started = Date.now();
    expect((await version()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('should send truncated JSON with 200 under malformed-json', async () => {
    sim.faults.add({ kind: 'malformed-json' });
    const res = await fetch(`${sim.url}/rest/bug?limit=5`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.startsWith('{"bugs":[')).toBe(true);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it('should close cleanly while a request hangs', async () => {
    const other = await BugzillaSimulator.start({ bugs: 5 });
    other.faults.add({ kind: 'timeout' });
    const pending = fetch(`${other.url}/rest/version`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await other.close();
    expect(String(await pending)).toMatch(/fetch failed/);
  });

  describe(parseFaultRule.name, () => {
    it('should validate kinds and numbers', () => {
      expect(parseFaultRule({ kind: 'nope' })).toMatch(/kind must be one of/);
      expect(parseFaultRule({ kind: 'slow', delayMs: -5 })).toMatch(/delayMs/);
      expect(parseFaultRule({ kind: 'rate-limit', retryAfterSeconds: 3, method: 'GET' })).toEqual({
        kind: 'rate-limit',
        retryAfterSeconds: 3,
        method: 'GET',
      });
    });
  });
});
