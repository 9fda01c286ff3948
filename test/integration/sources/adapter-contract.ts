import { CaseLinkDetector } from '../../../src/cases/case-links.js';
import type { Source } from '../../../src/cases/case.model.js';
import { supportCaseSchema } from '../../../src/cases/case.schema.js';
import { loadConfig } from '../../../src/config/load-config.js';
import type { CaseSource, SourceRecord } from '../../../src/sources/case-source.port.js';
import type { UpstreamObserver } from '../../../src/sources/http/upstream-observer.js';
import { createSources } from '../../../src/sources/sources.module.js';
import { UpstreamAuthError, UpstreamHttpError } from '../../../src/sources/upstream.errors.js';
import type { FaultPlan, RequestLogEntry } from '../../simulators/faults.js';

/** What a simulator offers the contract suite. */
export interface ContractSimulator {
  env: Record<string, string>;
  faults: FaultPlan;
  requests: RequestLogEntry[];
  mutate(count: number): string[];
  remove(key: string): void;
  close(): Promise<void>;
}

export interface ContractSubject {
  name: string;
  source: Source;
  /** Path of the listing endpoint, for scripting faults on it. */
  listingPath: RegExp;
  start(): Promise<ContractSimulator>;
  /**
   * Keys the configured scope should list, with the update instant the wire format names and,
   * when that can differ (naive local times in an autumn overlap), the one upstream sorts by.
   */
  expected(sim: ContractSimulator): { key: string; updated: Date; changedAt?: number }[];
  badCredentials: Record<string, string>;
  /** A key that never existed upstream. */
  unknownKey: string;
  /** Only listing requests count when checking what a retry did. */
  env?: Record<string, string>;
}

export interface RecordingObserver extends UpstreamObserver {
  retries: number;
}

function recordingObserver(): RecordingObserver {
  const observer: RecordingObserver = {
    retries: 0,
    request: () => undefined,
    retry: () => {
      observer.retries++;
    },
    breaker: () => undefined,
  };
  return observer;
}

export function adapterFor(
  subject: ContractSubject,
  sim: ContractSimulator,
  overrides: Record<string, string> = {},
): { adapter: CaseSource; observer: RecordingObserver } {
  const config = loadConfig(
    {
      ...sim.env,
      UPSTREAM_RETRIES: '3',
      UPSTREAM_RETRY_BASE_MS: '10',
      UPSTREAM_RETRY_MAX_MS: '2000',
      UPSTREAM_TIMEOUT_MS: '3000',
      GLPI_PAGE_SIZE: '25',
      JIRA_PAGE_SIZE: '25',
      BUGZILLA_PAGE_SIZE: '25',
      ...subject.env,
      ...overrides,
    },
    ['cli'],
  );
  const observer = recordingObserver();
  const [adapter] = createSources(config, {
    policy: config.upstream,
    observer,
    links: new CaseLinkDetector(config.upstreamBases),
    onUnknownValue: () => undefined,
  }).filter((s) => s.name === subject.source);
  return { adapter, observer };
}

export async function listAll(adapter: CaseSource, since: Date | null): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  for await (const page of adapter.fetchUpdatedSince(since)) records.push(...page.records);
  return records;
}

/**
 * The shared adapter contract: every adapter runs it against its simulator (bull-board's
 * serverAdapterContract is the model).
 */
export function adapterContract(subject: ContractSubject): void {
  describe(`${subject.name} adapter contract`, () => {
    let sim: ContractSimulator;

    beforeAll(async () => {
      sim = await subject.start();
    });
    afterAll(async () => {
      await sim.close();
    });
    beforeEach(() => {
      sim.faults.clear();
      sim.requests.length = 0;
    });

    it('should list every case in scope exactly once, oldest change first', async () => {
      const { adapter } = adapterFor(subject, sim);
      const records = await listAll(adapter, null);
      const expected = subject.expected(sim);
      const keys = records.map((r) => r.case.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect([...keys].sort()).toEqual(expected.map((e) => e.key).sort());
      const changedAt = new Map(expected.map((e) => [e.key, e.changedAt ?? e.updated.getTime()]));
      const order = records.map((r) => changedAt.get(r.case.key)!);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      // Several pages were needed, so paging itself was exercised.
      const listingCalls = sim.requests.filter((r) => subject.listingPath.test(r.path));
      expect(listingCalls.length).toBeGreaterThan(2);
    });

    it('should map every record to a valid case with its upstream update time', async () => {
      const { adapter } = adapterFor(subject, sim);
      const records = await listAll(adapter, null);
      const updatedByKey = new Map(subject.expected(sim).map((e) => [e.key, e.updated.getTime()]));
      for (const record of records) {
        expect(supportCaseSchema.safeParse(record.case).error).toBeUndefined();
        expect(record.case.id).toBe(`${subject.source}:${record.case.key}`);
        expect(Date.parse(record.case.updatedAt)).toBe(updatedByKey.get(record.case.key));
      }
    });

    it('should list what changed since an instant, including every change after it', async () => {
      const { adapter } = adapterFor(subject, sim);
      const before = subject.expected(sim);
      const newest = Math.max(...before.map((e) => e.updated.getTime()));
      const inScope = new Set(before.map((e) => e.key));
      const changed = sim.mutate(8).filter((key) => inScope.has(key));
      expect(changed.length).toBeGreaterThan(0);
      const records = await listAll(adapter, new Date(newest + 1));
      const keys = records.map((r) => r.case.key);
      for (const key of changed) expect(keys).toContain(key);
      // JQL has minute precision, so up to a minute before the instant may come back too.
      for (const r of records)
        expect(Date.parse(r.case.updatedAt)).toBeGreaterThanOrEqual(newest + 1 - 60_000);
      expect(records.length).toBeLessThan(before.length / 2);
    });

    it('should find cases by key and leave out the ones that no longer exist', async () => {
      const { adapter } = adapterFor(subject, sim);
      const keys = subject
        .expected(sim)
        .slice(0, 4)
        .map((e) => e.key);
      sim.remove(keys[3]);
      const found = await adapter.fetchByKeys([...keys, subject.unknownKey]);
      expect(found.map((r) => r.case.key).sort()).toEqual(keys.slice(0, 3).sort());
    });

    it('should read the comments of a case, oldest first, as plain text', async () => {
      const { adapter } = adapterFor(subject, sim);
      const keys = subject
        .expected(sim)
        .slice(0, 12)
        .map((e) => e.key);
      const timelines = await Promise.all(keys.map((key) => adapter.fetchTimeline(key)));
      const entries = timelines.flat();
      expect(entries.length).toBeGreaterThan(0);
      for (const timeline of timelines) {
        const times = timeline.map((e) => e.at);
        expect(times).toEqual([...times].sort());
      }
      for (const entry of entries) {
        expect(Number.isNaN(Date.parse(entry.at))).toBe(false);
        expect(entry.text).not.toMatch(/<\/?p>/);
        expect(entry.text.length).toBeGreaterThan(0);
      }
    });

    it('should pass the health check, and fail it with an auth error on bad credentials', async () => {
      await expect(adapterFor(subject, sim).adapter.healthCheck()).resolves.toBeUndefined();
      const { adapter, observer } = adapterFor(subject, sim, subject.badCredentials);
      await expect(adapter.healthCheck()).rejects.toBeInstanceOf(UpstreamAuthError);
      expect(observer.retries).toBe(0);
    });

    it('should retry a transient server error and then succeed', async () => {
      const { adapter, observer } = adapterFor(subject, sim);
      sim.faults.add({ kind: 'status500', path: subject.listingPath, times: 2 });
      const records = await listAll(adapter, null);
      expect(records.length).toBe(subject.expected(sim).length);
      expect(observer.retries).toBe(2);
      expect(sim.requests.filter((r) => r.status === 500)).toHaveLength(2);
    });

    it('should wait as long as Retry-After says on 429', async () => {
      const { adapter, observer } = adapterFor(subject, sim);
      sim.faults.add({
        kind: 'rate-limit',
        path: subject.listingPath,
        times: 1,
        retryAfterSeconds: 1,
      });
      const started = Date.now();
      await listAll(adapter, null);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(observer.retries).toBe(1);
    });

    it('should give up with a typed error naming the source and URL, without secrets', async () => {
      const { adapter } = adapterFor(subject, sim);
      sim.faults.add({ kind: 'status500', path: subject.listingPath, times: Infinity });
      const error = await listAll(adapter, null).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UpstreamHttpError);
      const message = (error as Error).message;
      expect(message).toMatch(new RegExp(`^${subject.source}: HTTP 500`));
      expect(message).toContain('127.0.0.1');
      for (const secret of Object.entries(sim.env).filter(([k]) => /TOKEN|KEY|PAT/.test(k))) {
        expect(message).not.toContain(secret[1]);
      }
      expect(sim.requests.filter((r) => r.status === 500).length).toBe(4);
    });
  });
}
