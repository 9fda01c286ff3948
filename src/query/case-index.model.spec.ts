import {
  CASE_STATUSES,
  SEVERITIES,
  SOURCES,
  type CaseStatus,
  type SupportCase,
} from '../cases/case.model.js';
import { aCase } from './case-fixture.js';
import { CaseIndex } from './case-index.js';
import {
  SORTABLE_FIELDS,
  type CaseFilter,
  type CaseQuery,
  type SortKey,
  type SortableField,
} from './case-query.js';
import { collationKey } from './collation.js';
import { daysOpen } from './days-open.js';

/**
 * The index against a plain model of the documented semantics (filter an array, sort it with
 * one comparator), on random data full of ties and nulls: it must agree whichever path a
 * query takes (walking a kept order or sorting the matches) and after any patch of its orders.
 */
const NOW = new Date('2025-06-18T12:00:00.000Z');
const DAY = 86_400_000;
const STATUSES: CaseStatus[] = ['new', 'open', 'pending', 'solved', 'closed'];

function generator(seed: number) {
  let state = seed;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  const maybe = <T>(value: T, share = 0.1) => (random() < share ? null : value);
  const at = (ms: number) => new Date(ms).toISOString();
  let next = 0;
  return {
    random,
    pick,
    makeCase(): SupportCase {
      const source = pick(SOURCES);
      const n = next++;
      const status = pick(STATUSES);
      // Whole-hour times: many cases share a createdAt, an updatedAt or a daysOpen.
      const created =
        NOW.getTime() - Math.floor(random() * 200) * DAY - pick([0, 6, 12]) * 3600_000;
      const ended =
        status === 'solved' || status === 'closed'
          ? created + Math.floor(random() * 40) * DAY
          : null;
      return aCase({
        source,
        key: source === 'jira' ? `${pick(['SUP', 'OPS'])}-${n}` : String(n),
        title: `${pick(['Disk', 'disk', 'Printer', 'VPN', 'Éclair'])} ${pick(['full', 'jam', '9', '10'])}`,
        status,
        severity: pick(SEVERITIES),
        account: maybe(
          pick(['ACME', 'acme', 'Globex', 'Initech', 'Umbrella', 'Acct 3', 'Acct 10']),
        ),
        assignee: maybe(pick(['alice', 'Bob', 'carol', 'Dave'])),
        product: maybe(pick(['Net', 'Print', 'Shop'])),
        requester: null,
        component: null,
        createdAt: random() < 0.05 ? null : at(created),
        updatedAt: at(created + Math.floor(random() * 10) * DAY),
        resolvedAt: ended === null ? null : at(ended),
        closedAt: status === 'closed' && ended !== null ? at(ended) : null,
        labels: random() < 0.2 ? ['customer'] : [],
      });
    },
  };
}

type Value = string | number | null;

function valueOf(c: SupportCase, field: SortableField): Value {
  switch (field) {
    case 'source':
    case 'key':
    case 'title':
      return collationKey(c[field]);
    case 'account':
    case 'assignee':
    case 'product':
      return c[field] === null ? null : collationKey(c[field]);
    case 'severity':
      return SEVERITIES.indexOf(c.severity);
    case 'status':
      return CASE_STATUSES.indexOf(c.status);
    case 'createdAt':
      return c.createdAt === null ? null : Date.parse(c.createdAt);
    case 'updatedAt':
      return Date.parse(c.updatedAt);
    case 'daysOpen':
      return daysOpen(c, NOW);
  }
}

interface ModelKeys {
  id: string;
  text: string;
  values: Record<SortableField, Value>;
}

const modelKeys = new WeakMap<SupportCase, ModelKeys>();

function keysOf(c: SupportCase): ModelKeys {
  let keys = modelKeys.get(c);
  if (!keys) {
    keys = {
      id: `${collationKey(c.id)}\u0000${c.id}`,
      text: [
        c.key,
        c.title,
        c.account,
        c.assignee,
        c.requester,
        c.product,
        c.component,
        ...c.labels,
      ]
        .filter((part) => part !== null)
        .join('\n')
        .toLowerCase(),
      values: Object.fromEntries(SORTABLE_FIELDS.map((f) => [f, valueOf(c, f)])) as Record<
        SortableField,
        Value
      >,
    };
    modelKeys.set(c, keys);
  }
  return keys;
}

function matches(c: SupportCase, filter: CaseFilter): boolean {
  const allowed = filter.allowedAccounts ?? null;
  const anyOf = (values: string[] | undefined, value: string | null) =>
    !values?.length || values.includes(value ?? '');
  const q = filter.q?.trim().toLowerCase();
  return (
    (allowed === null || (c.account !== null && allowed.includes(c.account))) &&
    anyOf(filter.source, c.source) &&
    anyOf(filter.status, c.status) &&
    anyOf(filter.severity, c.severity) &&
    anyOf(filter.account, c.account) &&
    anyOf(filter.assignee, c.assignee) &&
    anyOf(filter.product, c.product) &&
    (!filter.open || ['new', 'open', 'pending'].includes(c.status)) &&
    (!q || keysOf(c).text.includes(q)) &&
    (!filter.updatedBefore || Date.parse(c.updatedAt) < Date.parse(filter.updatedBefore)) &&
    (!filter.updatedAfter || Date.parse(c.updatedAt) >= Date.parse(filter.updatedAfter)) &&
    (!filter.createdAfter ||
      (c.createdAt !== null && Date.parse(c.createdAt) >= Date.parse(filter.createdAfter)))
  );
}

function modelQuery(cases: SupportCase[], query: CaseQuery) {
  const compare = (a: SupportCase, b: SupportCase) => {
    for (const { field, dir } of query.sort) {
      const va = keysOf(a).values[field];
      const vb = keysOf(b).values[field];
      if (va === vb) continue;
      if (va === null) return 1;
      if (vb === null) return -1;
      return (va < vb ? -1 : 1) * (dir === 'desc' ? -1 : 1);
    }
    const ka = keysOf(a).id;
    const kb = keysOf(b).id;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
  const visible = cases.filter((c) =>
    matches(c, { allowedAccounts: query.filter.allowedAccounts }),
  );
  const found = cases.filter((c) => matches(c, query.filter)).sort(compare);
  return {
    total: visible.length,
    filtered: found.length,
    ids: found.slice(query.offset, query.offset + query.limit).map((c) => c.id),
  };
}

const FILTERS: CaseFilter[] = [
  {},
  { open: true },
  { account: ['Acct 3'] },
  { account: ['', 'Umbrella'], status: ['solved', 'closed'] },
  { q: 'disk', severity: ['urgent', 'high'] },
  { allowedAccounts: ['ACME', 'Globex'], updatedAfter: '2025-03-01T00:00:00.000Z' },
  { assignee: ['Bob'], createdAfter: '2025-02-01T00:00:00.000Z', source: ['glpi', 'jira'] },
];

function everyQuery(): CaseQuery[] {
  const queries: CaseQuery[] = [];
  for (const filter of FILTERS) {
    for (const field of SORTABLE_FIELDS) {
      for (const dir of ['asc', 'desc'] as const) {
        // 120 comes from the view worked out for 0; 280 lies past that view's first window.
        for (const offset of [0, 120, 280]) {
          queries.push({ filter, sort: [{ field, dir }], offset, limit: 50 });
        }
      }
    }
    const pairs: SortKey[][] = [
      [
        { field: 'severity', dir: 'desc' },
        { field: 'title', dir: 'asc' },
      ],
      [
        { field: 'account', dir: 'asc' },
        { field: 'daysOpen', dir: 'desc' },
      ],
      [
        { field: 'daysOpen', dir: 'asc' },
        { field: 'assignee', dir: 'desc' },
        { field: 'key', dir: 'asc' },
      ],
    ];
    for (const sort of pairs) queries.push({ filter, sort, offset: 10, limit: 50 });
  }
  return queries;
}

function expectAgreement(index: CaseIndex, cases: SupportCase[]): void {
  for (const query of everyQuery()) {
    const result = index.query(query, NOW);
    const got = {
      total: result.total,
      filtered: result.filtered,
      ids: result.items.map((c) => c.id),
    };
    expect({ query, result: got }).toEqual({ query, result: modelQuery(cases, query) });
  }
}

// With kept views (pages after the first come from them) and without.
describe.each([64, 0])(`${CaseIndex.name} keeping %i views, against a model`, (cachedViews) => {
  it('should agree with the model on every filter, sort and page', () => {
    const { makeCase } = generator(11);
    const cases = Array.from({ length: 600 }, makeCase);
    const index = new CaseIndex({ cachedViews });
    index.replaceAll(cases);
    expectAgreement(index, cases);
  });

  it('should still agree after batches of updates, removals and additions', () => {
    const { makeCase, random, pick } = generator(23);
    const current = new Map<string, SupportCase>();
    for (const c of Array.from({ length: 600 }, makeCase)) current.set(c.id, c);
    const index = new CaseIndex({ cachedViews });
    index.replaceAll(current.values());
    index.prepare();
    for (const size of [1, 5, 40, 200]) {
      const upserts: SupportCase[] = [];
      const removedIds: string[] = [];
      for (let i = 0; i < size; i++) {
        const ids = [...current.keys()];
        const roll = random();
        if (roll < 0.2) {
          const id = pick(ids);
          removedIds.push(id);
          current.delete(id);
        } else if (roll < 0.4) {
          const c = makeCase();
          upserts.push(c);
          current.set(c.id, c);
        } else {
          // Another case's fields under an existing id: every value may move.
          const id = pick(ids);
          const c = {
            ...makeCase(),
            id,
            source: current.get(id)!.source,
            key: current.get(id)!.key,
          };
          upserts.push(c);
          current.set(id, c);
        }
      }
      index.apply({ upserts: upserts.filter((c) => current.get(c.id) === c), removedIds });
      expectAgreement(index, [...current.values()]);
    }
  });
});
