import type { SupportCase } from '../cases/case.model.js';
import type { AppConfig } from '../config/app-config.js';
import { aCase } from '../query/case-fixture.js';
import { CaseIndex } from '../query/case-index.js';
import type { CaseIndexService } from '../query/case-index.service.js';
import type { SnapshotStore } from '../store/snapshot.store.js';
import { CaseReadService } from './case-read.service.js';

const SLA_DAYS = { urgent: 1, high: 3, normal: 10, low: 30 };

/** The parts of CaseIndexService the read service uses, over a real index. */
class IndexHolder {
  readonly index = new CaseIndex();
  readonly ready = Promise.resolve();
  version = 1;
}

const page = { filter: {}, sort: [{ field: 'key' as const, dir: 'asc' as const }] };

describe(CaseReadService.name, () => {
  let holder: IndexHolder;
  let service: CaseReadService;

  const table = async (scope: string[] | null) =>
    (
      JSON.parse(await service.datatable(7, { ...page, offset: 0, limit: 50 }, scope)) as {
        draw: number;
        recordsTotal: number;
        recordsFiltered: number;
        data: Record<string, unknown>[];
      }
    ).data;

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
    jest.setSystemTime(new Date('2025-06-20T12:00:00.000Z'));
    holder = new IndexHolder();
    holder.index.replaceAll([
      // Open normal case created 19.5 days ago: due after 10 days, so breached.
      aCase({ key: 'SUP-1', links: [{ source: 'jira', key: 'SUP-2' }] }),
      // Open urgent case created 20 h ago: 0 whole days, 83 % of its day used, at risk.
      aCase({ key: 'SUP-2', severity: 'urgent', createdAt: '2025-06-19T16:00:00.000Z' }),
      // Closed after 4 days: its days open stay 4 whatever the clock says.
      aCase({
        key: 'SUP-3',
        status: 'closed',
        account: 'Globex',
        createdAt: '2025-06-01T00:00:00.000Z',
        closedAt: '2025-06-05T06:00:00.000Z',
        links: [{ source: 'jira', key: 'SUP-1' }],
      }),
      // No creation date: no days open, no due time.
      aCase({ key: 'SUP-4', createdAt: null }),
    ]);
    service = new CaseReadService(
      holder as unknown as CaseIndexService,
      {} as SnapshotStore,
      { web: { slaDays: SLA_DAYS } } as unknown as AppConfig,
    );
  });

  afterEach(() => jest.useRealTimers());

  describe('datatable', () => {
    it('should answer the DataTables envelope with hand-computed days open and SLA states', async () => {
      const answer = JSON.parse(
        await service.datatable(7, { ...page, offset: 0, limit: 50 }, null),
      ) as { draw: number; recordsTotal: number; recordsFiltered: number };
      expect(answer).toMatchObject({ draw: 7, recordsTotal: 4, recordsFiltered: 4 });
      const rows = await table(null);
      expect(rows.map((r) => [r.key, r.daysOpen, r.sla])).toEqual([
        ['SUP-1', 19, { dueAt: '2025-06-11T00:00:00.000Z', state: 'breached' }],
        ['SUP-2', 0, { dueAt: '2025-06-20T16:00:00.000Z', state: 'at-risk' }],
        ['SUP-3', 4, { dueAt: '2025-06-11T00:00:00.000Z', state: 'done' }],
        ['SUP-4', null, { dueAt: null, state: 'ok' }],
      ]);
    });

    it('should give each row what row() gives, field for field, less what the table never shows', async () => {
      const now = new Date();
      for (const scope of [null, ['ACME']]) {
        const rows = await table(scope);
        const expected = ['SUP-1', 'SUP-2', 'SUP-3', 'SUP-4']
          .map((key) => holder.index.get(`jira:${key}`)!)
          .filter((c) => scope === null || scope.includes(c.account!))
          .map((c) => {
            // The id is source:key, `linked` carries the links, closedAt is shown nowhere.
            const {
              id: _id,
              links: _links,
              closedAt: _closed,
              ...shown
            } = service.row(c, scope, now);
            return JSON.parse(JSON.stringify(shown)) as unknown;
          });
        expect(rows).toEqual(expected);
      }
    });

    it('should work out days open and SLA state at each request, even for rows it reuses', async () => {
      await table(null);
      jest.setSystemTime(new Date('2025-06-30T12:00:00.000Z'));
      const rows = await table(null);
      expect(rows.map((r) => [r.key, r.daysOpen, (r.sla as { state: string }).state])).toEqual([
        ['SUP-1', 29, 'breached'],
        ['SUP-2', 10, 'breached'],
        ['SUP-3', 4, 'done'],
        ['SUP-4', null, 'ok'],
      ]);
    });

    it('should answer in ASCII, with every other character escaped, and read back the same', async () => {
      const title = 'Café <b>“down”</b> 🔥 \u2028 \\ "quoted"';
      const renamed: SupportCase = { ...holder.index.get('jira:SUP-1')!, title, assignee: 'Zoë' };
      holder.index.apply({ upserts: [renamed], removedIds: [] });
      holder.version = 2;
      const text = await service.datatable(7, { ...page, offset: 0, limit: 50 }, null);
      expect(text).toMatch(/^[\x20-\x7e]*$/);
      const row = (JSON.parse(text) as { data: Record<string, unknown>[] }).data[0];
      expect(row).toMatchObject({ key: 'SUP-1', title, assignee: 'Zoë' });
    });

    it('should show a linked case as it is after a change, and hide it outside the scope', async () => {
      const linkedTitle = async (scope: string[] | null, key: string) =>
        ((await table(scope)).find((r) => r.key === key)!.linked as { title: unknown }[])[0].title;
      expect(await linkedTitle(null, 'SUP-1')).toBe('Checkout fails');
      const renamed: SupportCase = { ...holder.index.get('jira:SUP-2')!, title: 'Renamed' };
      holder.index.apply({ upserts: [renamed], removedIds: [] });
      holder.version = 2;
      expect(await linkedTitle(null, 'SUP-1')).toBe('Renamed');
      // SUP-3 (Globex) links to SUP-1 (ACME): a Globex-only caller sees the link, not its title.
      expect(await linkedTitle(['Globex'], 'SUP-3')).toBeNull();
      expect(await linkedTitle(null, 'SUP-3')).toBe('Checkout fails');
    });
  });
});
