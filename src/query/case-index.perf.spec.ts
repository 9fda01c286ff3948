import { performance } from 'node:perf_hooks';
import { SEVERITIES, SOURCES, type CaseStatus, type SupportCase } from '../cases/case.model.js';
import { aCase } from './case-fixture.js';
import { CaseIndex } from './case-index.js';
import type { CaseQuery } from './case-query.js';
import { collationKey } from './collation.js';

const COUNT = 100_000;
const NOW = new Date('2025-06-18T12:00:00.000Z');
const WORDS = ['printer', 'vpn', 'checkout', 'login', 'crash', 'slow', 'export', 'invoice', 'disk'];
const STATUS_MIX: CaseStatus[] = ['new', 'open', 'open', 'pending', 'solved', 'closed', 'closed'];

/** Deterministic pseudo-random cases shaped like a real backlog: 800 accounts, 120 agents. */
function syntheticCases(count: number): SupportCase[] {
  let seed = 7;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  const cases: SupportCase[] = [];
  for (let i = 0; i < count; i++) {
    const source = SOURCES[i % 3];
    const status = pick(STATUS_MIX);
    const created = NOW.getTime() - Math.floor(random() * 3 * 365 * 86_400_000);
    const updated = created + Math.floor(random() * (NOW.getTime() - created));
    const ended =
      status === 'solved' || status === 'closed' ? new Date(updated).toISOString() : null;
    cases.push(
      aCase({
        source,
        key: source === 'jira' ? `SUP-${i}` : String(i),
        title: `${pick(WORDS)} ${pick(WORDS)} issue ${i % 977}`,
        status,
        severity: pick(SEVERITIES),
        account: random() < 0.05 ? null : `Account ${Math.floor(random() ** 2 * 800)}`,
        assignee: random() < 0.1 ? null : `Agent ${Math.floor(random() * 120)}`,
        product: `Product ${Math.floor(random() * 40)}`,
        createdAt: random() < 0.01 ? null : new Date(created).toISOString(),
        updatedAt: new Date(updated).toISOString(),
        resolvedAt: ended,
        closedAt: status === 'closed' ? ended : null,
        labels: random() < 0.3 ? ['customer'] : [],
      }),
    );
  }
  return cases;
}

/** Typical table requests: one sort key, a filter or two, a page of 50. */
const SHAPES: { name: string; query: (n: number) => CaseQuery }[] = [
  {
    name: 'all, updatedAt desc',
    query: (n) => ({
      filter: {},
      sort: [{ field: 'updatedAt', dir: 'desc' }],
      offset: n * 50,
      limit: 50,
    }),
  },
  {
    name: 'open, severity asc',
    query: (n) => ({
      filter: { open: true },
      sort: [{ field: 'severity', dir: 'asc' }],
      offset: n * 50,
      limit: 50,
    }),
  },
  {
    name: 'open + status + urgent/high, title desc',
    query: () => ({
      filter: { status: ['open', 'pending'], severity: ['urgent', 'high'] },
      sort: [{ field: 'title', dir: 'desc' }],
      offset: 0,
      limit: 50,
    }),
  },
  {
    name: 'one account, key asc',
    query: (n) => ({
      filter: { account: [`Account ${n % 800}`] },
      sort: [{ field: 'key', dir: 'asc' }],
      offset: 0,
      limit: 50,
    }),
  },
  {
    name: 'partner (3 accounts), open, createdAt desc',
    query: (n) => ({
      filter: {
        open: true,
        allowedAccounts: [`Account ${n}`, `Account ${n + 1}`, `Account ${n + 2}`],
      },
      sort: [{ field: 'createdAt', dir: 'desc' }],
      offset: 0,
      limit: 50,
    }),
  },
  {
    name: 'assignee + stale, updatedAt asc',
    query: (n) => ({
      filter: { assignee: [`Agent ${n % 120}`], updatedBefore: '2025-06-11T12:00:00.000Z' },
      sort: [{ field: 'updatedAt', dir: 'asc' }],
      offset: 0,
      limit: 50,
    }),
  },
  {
    name: 'q (repeated), account asc',
    query: () => ({
      filter: { q: 'checkout' },
      sort: [{ field: 'account', dir: 'asc' }],
      offset: 0,
      limit: 50,
    }),
  },
  {
    name: 'open, daysOpen desc',
    query: (n) => ({
      filter: { open: true },
      sort: [{ field: 'daysOpen', dir: 'desc' }],
      offset: n * 50,
      limit: 50,
    }),
  },
];

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

describe(`${CaseIndex.name} at ${COUNT} cases`, () => {
  const cases = syntheticCases(COUNT);
  const index = new CaseIndex();

  it('should build the index and every sort order', () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    index.replaceAll(cases);
    const built = performance.now();
    index.prepare();
    const prepared = performance.now();
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    print(
      `build ${(built - started).toFixed(0)} ms, sort orders ${(prepared - built).toFixed(0)} ms, ` +
        `heap +${heapMb.toFixed(0)} MB besides the cases (garbage included)`,
    );
    expect(index.size).toBe(COUNT);
  });

  it('should answer 200 single-sort filtered queries', () => {
    for (const shape of SHAPES) index.query(shape.query(0), NOW);
    const timings = new Map<string, number[]>();
    for (let n = 0; n < 200; n++) {
      const shape = SHAPES[n % SHAPES.length];
      const query = shape.query(Math.floor(n / SHAPES.length));
      const started = performance.now();
      const result = index.query(query, NOW);
      const elapsed = performance.now() - started;
      timings.set(shape.name, [...(timings.get(shape.name) ?? []), elapsed]);
      expect(result.items).toHaveLength(
        Math.max(0, Math.min(query.limit, result.filtered - query.offset)),
      );
    }
    for (const [name, times] of timings) {
      const sorted = [...times].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] * 1000;
      print(
        `${name}: median ${median.toFixed(0)} µs, max ${(sorted.at(-1)! * 1000).toFixed(0)} µs`,
      );
    }
  });

  it('should count facets', () => {
    const started = performance.now();
    const facets = index.facets({ open: true });
    const counted = performance.now();
    index.facets({ open: true });
    const cached = performance.now();
    print(
      `facets of the open cases ${((counted - started) * 1000).toFixed(0)} µs, ` +
        `again from the cache ${((cached - counted) * 1000).toFixed(0)} µs`,
    );
    expect(Object.values(facets.status).reduce((sum, n) => sum + n, 0)).toBe(
      index.query({ filter: { open: true }, sort: [], offset: 0, limit: 0 }).filtered,
    );
  });

  it('should absorb a change batch and bring its sort orders up to date', () => {
    const changed = cases.slice(0, 200).map((c) => ({
      ...c,
      status: 'new' as const,
      updatedAt: NOW.toISOString(),
    }));
    const started = performance.now();
    index.apply({ upserts: changed, removedIds: cases.slice(200, 250).map((c) => c.id) });
    const applied = performance.now();
    index.prepare();
    const prepared = performance.now();
    print(
      `apply 250 changes ${(applied - started).toFixed(1)} ms, ` +
        `then re-sort every order ${(prepared - applied).toFixed(1)} ms`,
    );
    const result = index.query(
      {
        filter: { status: ['new'] },
        sort: [{ field: 'updatedAt', dir: 'desc' }],
        offset: 0,
        limit: 50,
      },
      NOW,
    );
    expect(index.size).toBe(COUNT - 50);
    // All 200 share the newest updatedAt, so ids decide.
    const byId = changed
      .map((c) => c.id)
      .sort((a, b) => (collationKey(a) < collationKey(b) ? -1 : 1));
    expect(result.items.map((c) => c.id)).toEqual(byId.slice(0, 50));
  });
});
