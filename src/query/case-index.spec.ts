import type { SupportCase } from '../cases/case.model.js';
import { aCase } from './case-fixture.js';
import { CaseIndex } from './case-index.js';
import {
  CaseQueryError,
  type CaseFilter,
  type CaseQueryResult,
  type SortKey,
  type SortableField,
} from './case-query.js';

const NOW = new Date('2025-06-18T12:00:00.000Z');

/**
 * Six cases, named by letter. In id order (the tie-break): F bugzilla:20, E bugzilla:100,
 * A glpi:9, B glpi:10, C jira:SUP-9, D jira:SUP-10. daysOpen at NOW: A 17 (running), B 1,
 * C 29, D 17 (resolved), E none (no createdAt), F 78.
 */
const A = aCase({
  source: 'glpi',
  key: '9',
  title: 'Printer jam',
  status: 'open',
  severity: 'high',
  account: 'ACME',
  assignee: 'Bob',
  requester: null,
  product: 'Print',
  component: null,
  createdAt: '2025-06-01T00:00:00.000Z',
  updatedAt: '2025-06-10T00:00:00.000Z',
});
const B = aCase({
  source: 'glpi',
  key: '10',
  title: 'vpn down',
  status: 'new',
  severity: 'urgent',
  account: 'Globex',
  assignee: null,
  requester: 'Dana Scully',
  product: 'Net',
  component: null,
  createdAt: '2025-06-17T12:00:00.000Z',
  updatedAt: '2025-06-18T10:00:00.000Z',
});
const C = aCase({
  source: 'jira',
  key: 'SUP-9',
  title: 'Checkout fails',
  status: 'pending',
  severity: 'normal',
  account: null,
  assignee: 'alice',
  requester: null,
  product: 'Shop',
  component: null,
  labels: ['customer', 'p1'],
  createdAt: '2025-05-20T08:00:00.000Z',
  updatedAt: '2025-06-18T09:00:00.000Z',
});
const D = aCase({
  source: 'jira',
  key: 'SUP-10',
  title: 'Éclair menu',
  status: 'solved',
  severity: 'low',
  account: 'ACME',
  assignee: 'Bob',
  requester: null,
  product: null,
  component: null,
  createdAt: '2025-05-26T00:00:00.000Z',
  updatedAt: '2025-06-12T00:00:00.000Z',
  resolvedAt: '2025-06-12T00:00:00.000Z',
});
const E = aCase({
  source: 'bugzilla',
  key: '100',
  title: 'crash on save',
  status: 'closed',
  severity: 'high',
  account: 'Initech',
  assignee: 'alice',
  requester: null,
  product: 'Print',
  component: 'Editor',
  createdAt: null,
  updatedAt: '2025-06-15T00:00:00.000Z',
  closedAt: '2025-06-15T00:00:00.000Z',
});
const F = aCase({
  source: 'bugzilla',
  key: '20',
  title: 'disk full',
  status: 'open',
  severity: 'urgent',
  account: 'Globex',
  assignee: 'Carol',
  requester: null,
  product: 'Net',
  component: null,
  createdAt: '2025-04-01T00:00:00.000Z',
  updatedAt: '2025-06-01T00:00:00.000Z',
});
const ALL = [A, B, C, D, E, F];
const NAMES = new Map(Object.entries({ A, B, C, D, E, F }).map(([name, c]) => [c.id, name]));

function names(cases: Iterable<SupportCase>): string[] {
  return Array.from(cases, (c) => NAMES.get(c.id) ?? c.id);
}

function indexOf(cases: SupportCase[]): CaseIndex {
  const index = new CaseIndex();
  index.replaceAll(cases);
  return index;
}

describe(CaseIndex.name, () => {
  let index: CaseIndex;

  beforeEach(() => {
    index = indexOf(ALL);
  });

  function find(filter: CaseFilter, sort: SortKey[] = []): CaseQueryResult {
    return index.query({ filter, sort, offset: 0, limit: 50 }, NOW);
  }

  function matching(filter: CaseFilter): string[] {
    return names(find(filter).items).sort();
  }

  describe('filters', () => {
    it('should match every case without a filter, in id order', () => {
      expect(names(find({}).items)).toEqual(['F', 'E', 'A', 'B', 'C', 'D']);
      expect(find({})).toMatchObject({ total: 6, filtered: 6 });
    });

    it('should filter by source, status and severity, any of the values given', () => {
      expect(matching({ source: ['jira'] })).toEqual(['C', 'D']);
      expect(matching({ source: ['glpi', 'bugzilla'] })).toEqual(['A', 'B', 'E', 'F']);
      expect(matching({ status: ['open'] })).toEqual(['A', 'F']);
      expect(matching({ status: ['solved', 'closed'] })).toEqual(['D', 'E']);
      expect(matching({ severity: ['urgent'] })).toEqual(['B', 'F']);
    });

    it('should treat an empty list as no restriction', () => {
      expect(matching({ status: [], account: [] })).toHaveLength(6);
    });

    it('should filter by account, assignee and product, with empty text for none', () => {
      expect(matching({ account: ['ACME'] })).toEqual(['A', 'D']);
      expect(matching({ account: [''] })).toEqual(['C']);
      expect(matching({ account: ['Globex', ''] })).toEqual(['B', 'C', 'F']);
      expect(matching({ assignee: ['alice'] })).toEqual(['C', 'E']);
      expect(matching({ assignee: [''] })).toEqual(['B']);
      expect(matching({ product: [''] })).toEqual(['D']);
      expect(matching({ product: ['Print', 'Shop'] })).toEqual(['A', 'C', 'E']);
    });

    it('should match account values exactly', () => {
      expect(matching({ account: ['acme'] })).toEqual([]);
      expect(matching({ account: ['Nobody'] })).toEqual([]);
    });

    it('should AND the filters together', () => {
      expect(
        matching({ account: ['ACME'], status: ['open', 'solved'], severity: ['low'] }),
      ).toEqual(['D']);
    });

    it('should keep only open work when asked', () => {
      expect(matching({ open: true })).toEqual(['A', 'B', 'C', 'F']);
      expect(matching({ open: false })).toHaveLength(6);
    });

    it('should search text case-insensitively in every searchable field', () => {
      expect(matching({ q: 'printer' })).toEqual(['A']); // title
      expect(matching({ q: 'acme' })).toEqual(['A', 'D']); // account
      expect(matching({ q: 'SUP-1' })).toEqual(['D']); // key
      expect(matching({ q: 'bob' })).toEqual(['A', 'D']); // assignee
      expect(matching({ q: 'scully' })).toEqual(['B']); // requester
      expect(matching({ q: 'net' })).toEqual(['B', 'F']); // product
      expect(matching({ q: 'editor' })).toEqual(['E']); // component
      expect(matching({ q: 'p1' })).toEqual(['C']); // label
      expect(matching({ q: '  JAM ' })).toEqual(['A']);
      expect(matching({ q: 'nothing like this' })).toEqual([]);
    });

    it('should not match a search across two fields', () => {
      expect(matching({ q: 'jam acme' })).toEqual([]);
    });

    it('should give the same search results whether it narrows a cached search or not', () => {
      expect(matching({ q: 'e' })).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
      // "checkout" and "initech" (E's account); "éclair" has no plain e before the c.
      expect(matching({ q: 'ec' })).toEqual(['C', 'E']);
      expect(matching({ q: 'eck' })).toEqual(['C']);
      expect(matching({ q: 'ec', source: ['bugzilla'], severity: ['high'] })).toEqual(['E']);
    });

    it('should bound updatedAt below (exclusive) and above (inclusive), createdAt above', () => {
      expect(matching({ updatedBefore: '2025-06-12T00:00:00.000Z' })).toEqual(['A', 'F']);
      expect(matching({ updatedAfter: '2025-06-15T00:00:00.000Z' })).toEqual(['B', 'C', 'E']);
      expect(
        matching({
          updatedAfter: '2025-06-10T00:00:00.000Z',
          updatedBefore: '2025-06-15T00:00:00.000Z',
        }),
      ).toEqual(['A', 'D']);
      // E has no createdAt, so no createdAfter bound matches it.
      expect(matching({ createdAfter: '2025-06-01T00:00:00.000Z' })).toEqual(['A', 'B']);
      expect(matching({ createdAfter: '2000-01-01T00:00:00.000Z' })).not.toContain('E');
    });

    it('should accept date bounds with an offset', () => {
      expect(matching({ updatedBefore: '2025-06-12T02:00:00.000+02:00' })).toEqual(['A', 'F']);
    });

    it('should reject a date bound that is not a timestamp', () => {
      expect(() => find({ updatedBefore: 'yesterday' })).toThrow(CaseQueryError);
    });

    it('should count total under allowedAccounts only and filtered under every filter', () => {
      const result = find({ allowedAccounts: ['ACME', 'Globex'], severity: ['urgent'] });
      expect(result).toMatchObject({ total: 4, filtered: 2 });
      expect(names(result.items).sort()).toEqual(['B', 'F']);
    });

    it('should show nothing for an empty allowedAccounts, and no account-less case for ""', () => {
      expect(find({ allowedAccounts: [] })).toMatchObject({ total: 0, filtered: 0, items: [] });
      expect(find({ allowedAccounts: [''] })).toMatchObject({ total: 0, filtered: 0 });
      expect(find({ allowedAccounts: null })).toMatchObject({ total: 6, filtered: 6 });
    });

    it('should not let a filter widen what allowedAccounts allows', () => {
      expect(matching({ allowedAccounts: ['ACME'], account: ['Globex'] })).toEqual([]);
      expect(matching({ allowedAccounts: ['ACME'], q: 'o' })).toEqual(['A', 'D']);
    });
  });

  describe('sorting', () => {
    const EXPECTED: Record<SortableField, { asc: string; desc: string }> = {
      source: { asc: 'FEABCD', desc: 'CDABFE' },
      key: { asc: 'ABFECD', desc: 'DCEFBA' },
      severity: { asc: 'FBEACD', desc: 'DCEAFB' },
      title: { asc: 'CEFDAB', desc: 'BADFEC' },
      account: { asc: 'ADFBEC', desc: 'EFBADC' },
      status: { asc: 'BFACDE', desc: 'EDCFAB' },
      assignee: { asc: 'ECADFB', desc: 'FADECB' },
      product: { asc: 'FBEACD', desc: 'CEAFBD' },
      createdAt: { asc: 'FCDABE', desc: 'BADCFE' },
      updatedAt: { asc: 'FADECB', desc: 'BCEDAF' },
      daysOpen: { asc: 'BADCFE', desc: 'FCADBE' },
    };

    for (const [field, expected] of Object.entries(EXPECTED) as [
      SortableField,
      { asc: string; desc: string },
    ][]) {
      for (const dir of ['asc', 'desc'] as const) {
        it(`should sort by ${field} ${dir}, nulls last, ties by id`, () => {
          expect(names(find({}, [{ field, dir }]).items).join('')).toBe(expected[dir]);
        });
      }
    }

    it('should sort by a second key within ties of the first', () => {
      const sort: SortKey[] = [
        { field: 'severity', dir: 'asc' },
        { field: 'updatedAt', dir: 'desc' },
      ];
      expect(names(find({}, sort).items).join('')).toBe('BFEACD');
    });

    it('should sort by daysOpen as a second key', () => {
      const sort: SortKey[] = [
        { field: 'account', dir: 'asc' },
        { field: 'daysOpen', dir: 'desc' },
      ];
      expect(names(find({}, sort).items).join('')).toBe('ADFBEC');
    });

    it('should sort by daysOpen first and another key second', () => {
      const sort: SortKey[] = [
        { field: 'daysOpen', dir: 'asc' },
        { field: 'key', dir: 'desc' },
      ];
      // A and D tie on 17 days; key desc puts SUP-10 (D) before 9 (A).
      expect(names(find({}, sort).items).join('')).toBe('BDACFE');
    });

    it('should count daysOpen from the given clock', () => {
      // A day later B has 2 days, A 18 while D stays at 17.
      const later = new Date('2025-06-19T12:00:00.000Z');
      const result = index.query(
        { filter: {}, sort: [{ field: 'daysOpen', dir: 'asc' }], offset: 0, limit: 50 },
        later,
      );
      expect(names(result.items).join('')).toBe('BDACFE');
    });

    it('should ignore a repeated sort field', () => {
      const sort: SortKey[] = [
        { field: 'status', dir: 'desc' },
        { field: 'status', dir: 'asc' },
      ];
      expect(names(find({}, sort).items).join('')).toBe('EDCFAB');
    });

    it('should reject an unknown sort field', () => {
      const sort = [{ field: 'url', dir: 'asc' }] as unknown as SortKey[];
      expect(() => find({}, sort)).toThrow(CaseQueryError);
    });

    it('should sort only the matching cases', () => {
      expect(names(find({ open: true }, [{ field: 'createdAt', dir: 'asc' }]).items)).toEqual([
        'F',
        'C',
        'A',
        'B',
      ]);
    });
  });

  describe('paging', () => {
    const byKey: SortKey[] = [{ field: 'key', dir: 'asc' }];

    it('should return the page at the offset', () => {
      const page = index.query({ filter: {}, sort: byKey, offset: 2, limit: 2 }, NOW);
      expect(names(page.items)).toEqual(['F', 'E']);
      expect(page).toMatchObject({ total: 6, filtered: 6 });
    });

    it('should return a short last page and an empty page past the end', () => {
      expect(names(index.query({ filter: {}, sort: byKey, offset: 5, limit: 10 }).items)).toEqual([
        'D',
      ]);
      expect(index.query({ filter: {}, sort: byKey, offset: 10, limit: 10 })).toMatchObject({
        filtered: 6,
        items: [],
      });
    });

    it('should return no rows for a zero limit but still count', () => {
      expect(index.query({ filter: { open: true }, sort: byKey, offset: 0, limit: 0 })).toEqual({
        total: 6,
        filtered: 4,
        items: [],
        slots: new Int32Array(0),
      });
    });

    it('should page through ties without repeating or skipping a case', () => {
      const bySeverity: SortKey[] = [{ field: 'severity', dir: 'desc' }];
      const pages = [0, 2, 4].flatMap((offset) =>
        names(index.query({ filter: {}, sort: bySeverity, offset, limit: 2 }, NOW).items),
      );
      expect(pages.join('')).toBe('DCEAFB');
    });
  });

  describe('changes', () => {
    it('should answer a view asked before a change with the change applied', () => {
      const byUpdated: SortKey[] = [{ field: 'updatedAt', dir: 'desc' }];
      // Asked twice, so the second answer comes from the kept view.
      for (let i = 0; i < 2; i++)
        expect(names(find({ open: true }, byUpdated).items)).toEqual(['B', 'C', 'A', 'F']);
      index.apply({
        upserts: [
          { ...A, updatedAt: '2025-06-18T11:00:00.000Z' },
          { ...C, status: 'closed' },
        ],
        removedIds: [],
      });
      expect(names(find({ open: true }, byUpdated).items)).toEqual(['A', 'B', 'F']);
      expect(find({ open: true }, byUpdated).filtered).toBe(3);
      index.replaceAll([D, E, F]);
      expect(names(find({ open: true }, byUpdated).items)).toEqual(['F']);
    });

    it('should move a case between counts when its status changes', () => {
      index.apply({ upserts: [{ ...A, status: 'solved' }], removedIds: [] });
      expect(matching({ status: ['open'] })).toEqual(['F']);
      expect(matching({ status: ['solved'] })).toEqual(['A', 'D']);
      expect(matching({ open: true })).toEqual(['B', 'C', 'F']);
      expect(index.facets({}).status).toEqual({
        new: 1,
        open: 1,
        pending: 1,
        solved: 2,
        closed: 1,
      });
    });

    it('should forget a removed case', () => {
      index.apply({ upserts: [], removedIds: [B.id] });
      expect(index.size).toBe(5);
      expect(index.get(B.id)).toBeUndefined();
      expect(names(find({}, [{ field: 'updatedAt', dir: 'desc' }]).items)).toEqual([
        'C',
        'E',
        'D',
        'A',
        'F',
      ]);
      expect(matching({ account: ['Globex'] })).toEqual(['F']);
      expect(matching({ q: 'vpn' })).toEqual([]);
    });

    it('should add a new case to every view', () => {
      const G = aCase({ source: 'glpi', key: '11', account: 'Globex', severity: 'urgent' });
      index.apply({ upserts: [G], removedIds: [] });
      expect(index.size).toBe(7);
      expect(index.get(G.id)).toBe(G);
      expect(find({ account: ['Globex'] }).filtered).toBe(3);
      expect(names(find({}, [{ field: 'key', dir: 'asc' }]).items).join(',')).toBe(
        'A,B,glpi:11,F,E,C,D',
      );
    });

    it('should move a case to its new value in facets, filters and sorts', () => {
      index.apply({ upserts: [{ ...C, account: 'ACME', title: 'Zebra' }], removedIds: [] });
      expect(matching({ account: [''] })).toEqual([]);
      expect(matching({ account: ['ACME'] })).toEqual(['A', 'C', 'D']);
      expect(index.facets({}).account).toEqual([
        { value: 'ACME', count: 3 },
        { value: 'Globex', count: 2 },
        { value: 'Initech', count: 1 },
      ]);
      expect(names(find({}, [{ field: 'title', dir: 'asc' }]).items).join('')).toBe('EFDABC');
    });

    it('should count a generation for each load and each batch that changed something', () => {
      const before = index.generation;
      index.apply({ upserts: [], removedIds: ['glpi:404'] });
      expect(index.generation).toBe(before);
      index.apply({ upserts: [{ ...A, title: 'Renamed' }], removedIds: [] });
      expect(index.generation).toBe(before + 1);
      index.replaceAll([A]);
      expect(index.generation).toBe(before + 2);
    });

    it('should refuse a batch or a load with a case it cannot hold, and change nothing', () => {
      const byUpdated: SortKey[] = [{ field: 'updatedAt', dir: 'desc' }];
      const view = () => names(find({ open: true }, byUpdated).items);
      const before = view();
      expect(matching({ q: 'jam' })).toEqual(['A']);
      for (const broken of [
        { ...B, id: 'nowhere:1', source: 'nowhere' },
        { ...B, status: 'constructor' },
        { ...B, severity: 'toString' },
      ] as unknown as SupportCase[]) {
        expect(() =>
          index.apply({
            upserts: [{ ...F, title: 'jam', status: 'closed' }, broken],
            removedIds: [],
          }),
        ).toThrow(/unknown (source|status|severity)/);
        expect(() => index.replaceAll([D, broken])).toThrow(/unknown/);
      }
      expect(index.get(F.id)?.title).toBe(F.title);
      expect(index.size).toBe(ALL.length);
      expect(view()).toEqual(before);
      expect(matching({ q: 'jam' })).toEqual(['A']);
    });

    it('should keep a cached search current', () => {
      expect(matching({ q: 'jam' })).toEqual(['A']);
      index.apply({
        upserts: [
          { ...A, title: 'Scanner fault' },
          { ...F, title: 'jam' },
        ],
        removedIds: [],
      });
      expect(matching({ q: 'jam' })).toEqual(['F']);
    });

    it('should apply removals before upserts of the same batch', () => {
      index.apply({ upserts: [{ ...A, title: 'Back' }], removedIds: [A.id, 'glpi:404'] });
      expect(index.get(A.id)?.title).toBe('Back');
      expect(index.size).toBe(6);
    });

    it('should reuse a removed case slot without mixing the two cases up', () => {
      find({}, [{ field: 'account', dir: 'asc' }]);
      const G = aCase({ source: 'glpi', key: '11', account: 'Initech', title: 'Aardvark' });
      index.apply({ upserts: [G], removedIds: [C.id] });
      expect(names(find({}, [{ field: 'account', dir: 'asc' }]).items).join(',')).toBe(
        'A,D,F,B,E,glpi:11',
      );
      expect(matching({ account: [''] })).toEqual([]);
      expect(matching({ q: 'checkout' })).toEqual([]);
    });

    it('should grow past its first capacity', () => {
      const many = Array.from({ length: 3000 }, (_, i) =>
        aCase({ source: 'glpi', key: String(1000 + i), account: `Acct ${i % 7}` }),
      );
      index.apply({ upserts: many, removedIds: [] });
      expect(index.size).toBe(3006);
      expect(find({ account: ['Acct 3'] }).filtered).toBe(429);
      const first = index.query({
        filter: {},
        sort: [{ field: 'key', dir: 'desc' }],
        offset: 0,
        limit: 1,
      });
      expect(first.items[0].key).toBe('SUP-10');
    });

    it('should replace everything on replaceAll', () => {
      index.replaceAll([A]);
      expect(index.size).toBe(1);
      expect(find({ q: 'vpn' }).filtered).toBe(0);
      expect(find({}, [{ field: 'title', dir: 'asc' }]).items).toEqual([A]);
    });
  });

  describe('iterate', () => {
    it('should yield the whole filtered view in order', () => {
      const sort: SortKey[] = [{ field: 'createdAt', dir: 'asc' }];
      expect(names(index.iterate({ open: true }, sort, NOW))).toEqual(['F', 'C', 'A', 'B']);
      expect(names(index.iterate({}, [{ field: 'daysOpen', dir: 'desc' }], NOW)).join('')).toBe(
        'FCADBE',
      );
    });

    it('should keep the view it started with while the index changes', () => {
      const rows = index.iterate({}, []);
      const first = rows.next().value;
      index.apply({ upserts: [], removedIds: [A.id, B.id] });
      expect(names([first!, ...rows])).toEqual(['F', 'E', 'A', 'B', 'C', 'D']);
    });

    it('should yield nothing for an empty view', () => {
      expect([...index.iterate({ allowedAccounts: [] }, [])]).toEqual([]);
    });
  });

  describe('facets', () => {
    it('should count every value without a filter', () => {
      expect(index.facets({})).toEqual({
        source: { glpi: 2, jira: 2, bugzilla: 2 },
        status: { new: 1, open: 2, pending: 1, solved: 1, closed: 1 },
        severity: { urgent: 2, high: 2, normal: 1, low: 1 },
        account: [
          { value: 'ACME', count: 2 },
          { value: 'Globex', count: 2 },
          { value: 'Initech', count: 1 },
          { value: null, count: 1 },
        ],
        assignee: [
          { value: 'alice', count: 2 },
          { value: 'Bob', count: 2 },
          { value: 'Carol', count: 1 },
          { value: null, count: 1 },
        ],
        product: [
          { value: 'Net', count: 2 },
          { value: 'Print', count: 2 },
          { value: 'Shop', count: 1 },
          { value: null, count: 1 },
        ],
      });
    });

    it('should count each facet under every filter but its own', () => {
      const facets = index.facets({ status: ['open'], account: ['ACME'] });
      // status: ACME cases A (open) and D (solved); account: open cases A (ACME), F (Globex).
      expect(facets.status).toEqual({ new: 0, open: 1, pending: 0, solved: 1, closed: 0 });
      expect(facets.account).toEqual([
        { value: 'ACME', count: 1 },
        { value: 'Globex', count: 1 },
      ]);
      // Everything else sees both filters: only A.
      expect(facets.source).toEqual({ glpi: 1, jira: 0, bugzilla: 0 });
      expect(facets.assignee).toEqual([{ value: 'Bob', count: 1 }]);
    });

    it('should apply open, search and date filters to every facet', () => {
      const facets = index.facets({ open: true, q: 'e', updatedAfter: '2025-06-10T00:00:00.000Z' });
      // Open, with an e somewhere and updated since June 10: A, B and C.
      expect(facets.source).toEqual({ glpi: 2, jira: 1, bugzilla: 0 });
      expect(facets.status).toEqual({ new: 1, open: 1, pending: 1, solved: 0, closed: 0 });
    });

    it('should not serve facets counted before a change', () => {
      expect(index.facets({ open: true }).status.open).toBe(2);
      index.apply({ upserts: [{ ...F, status: 'closed' }], removedIds: [] });
      expect(index.facets({ open: true }).status.open).toBe(1);
    });

    it('should count only what allowedAccounts shows', () => {
      const facets = index.facets({ allowedAccounts: ['Globex'], account: ['ACME'] });
      expect(facets.account).toEqual([{ value: 'Globex', count: 2 }]);
      expect(facets.severity).toEqual({ urgent: 0, high: 0, normal: 0, low: 0 });
    });

    it('should list the top 50 values, most cases first, then by name', () => {
      const cases = Array.from({ length: 55 }, (_, i) =>
        aCase({ source: 'glpi', key: String(i + 1), account: `Acct-${i + 1}` }),
      );
      const extra = [56, 57].map((key) =>
        aCase({ source: 'glpi', key: String(key), account: 'Acct-7' }),
      );
      const accounts = indexOf([...cases, ...extra]).facets({}).account;
      expect(accounts).toHaveLength(50);
      expect(accounts[0]).toEqual({ value: 'Acct-7', count: 3 });
      expect(accounts.slice(1, 4).map((f) => f.value)).toEqual(['Acct-1', 'Acct-2', 'Acct-3']);
      expect(accounts.slice(7, 10).map((f) => f.value)).toEqual(['Acct-8', 'Acct-9', 'Acct-10']);
      expect(accounts.at(-1)).toEqual({ value: 'Acct-50', count: 1 });
    });
  });

  describe('distinct', () => {
    it('should list the values present in table order, without null', () => {
      expect(index.distinct('account')).toEqual(['ACME', 'Globex', 'Initech']);
      expect(index.distinct('assignee')).toEqual(['alice', 'Bob', 'Carol']);
      expect(index.distinct('product')).toEqual(['Net', 'Print', 'Shop']);
    });

    it('should drop values no case holds any more', () => {
      index.apply({ upserts: [{ ...E, account: 'ACME' }], removedIds: [] });
      expect(index.distinct('account')).toEqual(['ACME', 'Globex']);
    });

    it('should list only what allowedAccounts shows', () => {
      expect(index.distinct('assignee', ['Globex'])).toEqual(['Carol']);
      expect(index.distinct('account', [])).toEqual([]);
    });
  });

  describe('forEachMatch', () => {
    it('should visit each matching case once with its dates in epoch ms', () => {
      const seen: [string, number, number, number][] = [];
      index.forEachMatch({ source: ['jira'] }, (c, created, updated, ended) =>
        seen.push([NAMES.get(c.id)!, created, updated, ended]),
      );
      expect(seen.sort()).toEqual([
        ['C', Date.UTC(2025, 4, 20, 8), Date.UTC(2025, 5, 18, 9), NaN],
        ['D', Date.UTC(2025, 4, 26), Date.UTC(2025, 5, 12), Date.UTC(2025, 5, 12)],
      ]);
    });
  });
});
