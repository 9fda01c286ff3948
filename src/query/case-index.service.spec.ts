import { Logger } from '@nestjs/common';
import type { SupportCase } from '../cases/case.model.js';
import { aCase } from './case-fixture.js';
import { CaseIndexService, type CaseFeed } from './case-index.service.js';

/** The store's change feed in memory: every write bumps the version and stamps its ids. */
class FakeFeed implements CaseFeed {
  readonly cases = new Map<string, SupportCase>();
  private readonly stamps = new Map<string, number>();
  private version = 0;
  /** changedSince calls still to fail. */
  failures = 0;
  /** Holds changedSince until released. */
  gate: Promise<void> = Promise.resolve();
  inFlight = 0;
  maxInFlight = 0;
  /** Runs between scan batches, as a concurrent sync would. */
  duringScan: (() => void) | undefined;

  write(upserts: SupportCase[], removedIds: string[] = []): void {
    this.version++;
    for (const c of upserts) {
      this.cases.set(c.id, c);
      this.stamps.set(c.id, this.version);
    }
    for (const id of removedIds) {
      this.cases.delete(id);
      this.stamps.set(id, this.version);
    }
  }

  async changedSince(since: number): Promise<{ version: number; ids: string[] }> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.gate;
      if (this.failures > 0) {
        this.failures--;
        throw new Error('Connection is closed.');
      }
      const ids = [...this.stamps].filter(([, version]) => version > since).map(([id]) => id);
      return { version: this.version, ids };
    } finally {
      this.inFlight--;
    }
  }

  /** Everything gone, as after a FLUSHDB. */
  flush(): void {
    this.cases.clear();
    this.stamps.clear();
    this.version = 0;
  }

  getCases(ids: string[]): Promise<(SupportCase | null)[]> {
    return Promise.resolve(ids.map((id) => this.cases.get(id) ?? null));
  }

  async *scan(): AsyncGenerator<SupportCase[]> {
    const ids = [...this.cases.keys()].sort();
    for (let i = 0; i < ids.length; i += 2) {
      const batch = ids.slice(i, i + 2).map((id) => this.cases.get(id));
      yield await Promise.resolve(batch.filter((c): c is SupportCase => c !== undefined));
      this.duringScan?.();
    }
  }
}

const a = aCase({ key: 'SUP-1', title: 'a' });
const b = aCase({ key: 'SUP-2', title: 'b' });
const c = aCase({ key: 'SUP-3', title: 'c' });
const d = aCase({ key: 'SUP-4', title: 'd' });

function titles(service: CaseIndexService): string[] {
  return [...service.index.iterate({}, [{ field: 'title', dir: 'asc' }])].map((x) => x.title);
}

async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

describe(CaseIndexService.name, () => {
  let feed: FakeFeed;
  let service: CaseIndexService;
  let logged: jest.SpyInstance;

  beforeEach(() => {
    feed = new FakeFeed();
    feed.write([a, b, c]);
    service = new CaseIndexService(feed, { redis: { url: 'redis://unused', keyPrefix: 't:' } });
    service.refreshMs = 60_000;
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await service.onModuleDestroy();
    jest.restoreAllMocks();
  });

  it('should load every case in the background at bootstrap', async () => {
    service.onApplicationBootstrap();
    expect(service.loaded).toBe(false);
    await service.ready;
    expect(service.loaded).toBe(true);
    expect(titles(service)).toEqual(['a', 'b', 'c']);
    expect(service.version).toBe(1);
  });

  it('should apply updates, additions and removals on refresh', async () => {
    await service.refreshNow();
    feed.write([{ ...a, title: 'a2' }, d], [b.id]);
    await service.refreshNow();
    expect(titles(service)).toEqual(['a2', 'c', 'd']);
    expect(service.version).toBe(2);
  });

  it('should pick up what a sync writes while the load scans', async () => {
    feed.write([d]);
    feed.duringScan = () => {
      feed.duringScan = undefined;
      // a was read already; d is read after this update; e is not in the scan's id list.
      feed.write([
        { ...a, title: 'a2' },
        { ...d, title: 'd2' },
        aCase({ key: 'SUP-5', title: 'e' }),
      ]);
      feed.write([], [b.id]);
    };
    await service.refreshNow();
    expect(titles(service)).toEqual(['a', 'b', 'c', 'd2']);
    await service.refreshNow();
    expect(titles(service)).toEqual(['a2', 'c', 'd2', 'e']);
  });

  it('should keep serving the old cases when Redis fails, and catch up later', async () => {
    await service.refreshNow();
    feed.write([d]);
    feed.failures = 1;
    await expect(service.refreshNow()).rejects.toThrow('Connection is closed.');
    expect(titles(service)).toEqual(['a', 'b', 'c']);
    await service.refreshNow();
    expect(titles(service)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('should never run two refreshes at once', async () => {
    await service.refreshNow();
    let release: () => void = () => undefined;
    feed.gate = new Promise((resolve) => (release = resolve));
    const first = service.refreshNow();
    feed.write([d]);
    const second = service.refreshNow();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(feed.inFlight).toBe(1);
    release();
    await Promise.all([first, second]);
    expect(feed.maxInFlight).toBe(1);
    expect(titles(service)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('should retry a failed load on the next tick and log the failure', async () => {
    feed.failures = 2;
    service.refreshMs = 10;
    service.onApplicationBootstrap();
    await service.ready;
    expect(titles(service)).toEqual(['a', 'b', 'c']);
    expect(logged).toHaveBeenCalledTimes(2);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('Connection is closed.'));
  });

  it('should refresh on its own every refreshMs until destroyed', async () => {
    service.refreshMs = 10;
    service.onApplicationBootstrap();
    await service.ready;
    feed.write([d]);
    await eventually(() => expect(titles(service)).toContain('d'));
    await service.onModuleDestroy();
    feed.write([{ ...d, title: 'd2' }]);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(titles(service)).toContain('d');
  });

  it('should neither postpone the first load nor a sooner refresh when refreshMs changes', async () => {
    service.onApplicationBootstrap();
    service.refreshMs = 60_000;
    await service.ready;
    feed.write([d]);
    service.refreshMs = 10;
    await eventually(() => expect(titles(service)).toContain('d'));
  });

  it('should load everything again when the store version goes back', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    feed.write([{ ...c, title: 'c2' }]);
    await service.refreshNow();
    expect(service.version).toBe(2);
    feed.flush();
    feed.write([d]);
    await service.refreshNow();
    expect(titles(service)).toEqual(['d']);
    expect(service.version).toBe(1);
  });

  it('should read again the cases a changed case links to, whose links point back', async () => {
    await service.refreshNow();
    const link = { source: c.source, key: c.key };
    // The store reports only a; c's links gain a through the inbound set.
    feed.write([{ ...a, links: [link] }]);
    feed.cases.set(c.id, { ...c, links: [{ source: a.source, key: a.key }] });
    await service.refreshNow();
    expect(service.index.get(c.id)?.links).toEqual([{ source: 'jira', key: 'SUP-1' }]);
    // Dropping the link: c is read again through a's previous links.
    feed.write([a]);
    feed.cases.set(c.id, c);
    await service.refreshNow();
    expect(service.index.get(c.id)?.links).toEqual([]);
  });
});
