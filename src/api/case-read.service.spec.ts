import type { SupportCase } from '../cases/case.model.js';
import type { AppConfig } from '../config/app-config.js';
import { aCase } from '../query/case-fixture.js';
import { CaseIndex } from '../query/case-index.js';
import type { CaseIndexService } from '../query/case-index.service.js';
import type { SnapshotStore } from '../store/snapshot.store.js';
import { DAY_MS } from '../query/days-open.js';
import { CaseReadService } from './case-read.service.js';

const SLA_DAYS = { urgent: 1, high: 3, normal: 10, low: 30 };

/** The parts of CaseIndexService the read service uses, over a real index. */
class IndexHolder {
  readonly index = new CaseIndex();
  readonly ready = Promise.resolve();
  version = 1;
}

const page = { filter: {}, sort: [{ field: 'key' as const, dir: 'asc' as const }] };

function serviceOver(holder: IndexHolder, indexViewCache = 64): CaseReadService {
  return new CaseReadService(
    holder as unknown as CaseIndexService,
    {} as SnapshotStore,
    { web: { slaDays: SLA_DAYS, indexViewCache } } as unknown as AppConfig,
  );
}

describe(CaseReadService.name, () => {
  let holder: IndexHolder;
  let service: CaseReadService;

  const text = async (scope: string[] | null, offset = 0, limit = 50) => {
    const answer = await service.datatable(7, { ...page, offset, limit }, scope);
    return answer.head + answer.body;
  };
  const table = async (scope: string[] | null) =>
    (
      JSON.parse(await text(scope)) as {
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
    service = serviceOver(holder);
  });

  afterEach(() => jest.useRealTimers());

  describe('datatable', () => {
    it('should answer the DataTables envelope with hand-computed days open and SLA states', async () => {
      const answer = JSON.parse(await text(null)) as {
        draw: number;
        recordsTotal: number;
        recordsFiltered: number;
      };
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
      const ascii = await text(null);
      expect(ascii).toMatch(/^[\x20-\x7e]*$/);
      const row = (JSON.parse(ascii) as { data: Record<string, unknown>[] }).data[0];
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

  describe('kept pages', () => {
    it('should send a page again while it holds, with the draw of each request', async () => {
      const query = jest.spyOn(holder.index, 'query');
      const first = await service.datatable(7, { ...page, offset: 0, limit: 50 }, null);
      const again = await service.datatable(8, { ...page, offset: 0, limit: 50 }, null);
      expect(query).toHaveBeenCalledTimes(1);
      expect(again.body).toBe(first.body);
      expect(JSON.parse(again.head + again.body)).toMatchObject({ draw: 8, recordsFiltered: 4 });
    });

    it('should work a page out again at the first instant one of its rows changes', async () => {
      const query = jest.spyOn(holder.index, 'query');
      const states = async () => (await table(null)).map((r) => (r.sla as { state: string }).state);
      expect(await states()).toEqual(['breached', 'at-risk', 'done', 'ok']);
      // SUP-2 is due at 16:00 (and its first whole day open ends then): the page holds till then.
      jest.setSystemTime(new Date('2025-06-20T15:59:59.999Z'));
      expect(await states()).toEqual(['breached', 'at-risk', 'done', 'ok']);
      expect(query).toHaveBeenCalledTimes(1);
      jest.setSystemTime(new Date('2025-06-20T16:00:00.000Z'));
      expect(await states()).toEqual(['breached', 'breached', 'done', 'ok']);
      expect(query).toHaveBeenCalledTimes(2);
    });

    it('should keep pages apart by account scope and position', async () => {
      expect((await table(null)).map((r) => r.key)).toEqual(['SUP-1', 'SUP-2', 'SUP-3', 'SUP-4']);
      expect((await table(['Globex'])).map((r) => r.key)).toEqual(['SUP-3']);
      const second = JSON.parse(await text(null, 1, 2)) as { data: { key: string }[] };
      expect(second.data.map((r) => r.key)).toEqual(['SUP-2', 'SUP-3']);
      expect(JSON.parse(await text(['Nobody']))).toMatchObject({ recordsTotal: 0, data: [] });
    });

    it('should keep no page with the index view cache off', async () => {
      service = serviceOver(holder, 0);
      const query = jest.spyOn(holder.index, 'query');
      await table(null);
      await table(null);
      expect(query).toHaveBeenCalledTimes(2);
    });

    it('should answer as it would without kept pages, whatever changes and whenever asked', async () => {
      const cold = serviceOver(holder, 0);
      const query = jest.spyOn(holder.index, 'query');
      let state = 42;
      const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
      const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
      const keys = ['SUP-1', 'SUP-2', 'SUP-3', 'SUP-4', 'SUP-5', 'SUP-6'];
      let now = Date.now();
      const counts = { changes: 0, backwards: 0, kept: 0 };
      for (let step = 0; step < 600; step++) {
        const roll = random();
        if (roll < 0.03) {
          const key = pick(keys);
          const old = holder.index.get(`jira:${key}`);
          const changed = aCase({
            ...old,
            key,
            title: pick(['Checkout fails', 'Login loops', 'Slow search']),
            status: pick(['open', 'pending', 'closed'] as const),
            severity: pick(['urgent', 'high', 'normal', 'low'] as const),
            account: pick(['ACME', 'Globex', null]),
            createdAt: new Date(now - random() * 20 * DAY_MS).toISOString(),
            links: [{ source: 'jira', key: pick(keys) }],
          });
          const removed = random() < 0.2 && old !== undefined;
          holder.index.apply({
            upserts: removed ? [] : [changed],
            removedIds: removed ? [changed.id] : [],
          });
          holder.version++;
          counts.changes++;
        } else if (roll < 0.13) {
          // Mostly forward, across hours and days (rows change state), now and then back.
          const by = Math.floor(random() * pick([1_000, 60_000, 3_600_000, 2 * DAY_MS]));
          const back = random() < 0.25;
          if (back) counts.backwards++;
          now += back ? -by : by;
          jest.setSystemTime(now);
        }
        const asked = {
          filter: random() < 0.3 ? { status: ['open' as const, 'pending' as const] } : {},
          sort: [
            pick([
              { field: 'key' as const, dir: 'asc' as const },
              { field: 'updatedAt' as const, dir: 'desc' as const },
              { field: 'severity' as const, dir: 'asc' as const },
              { field: 'daysOpen' as const, dir: 'desc' as const },
            ]),
          ],
          offset: pick([0, 1]),
          limit: pick([2, 3]),
        };
        const scope = pick([null, ['ACME']]);
        const calls = query.mock.calls.length;
        const kept = await service.datatable(step, asked, scope);
        if (query.mock.calls.length === calls) counts.kept++;
        const worked = await cold.datatable(step, asked, scope);
        expect({ step, text: kept.head + kept.body }).toEqual({
          step,
          text: worked.head + worked.body,
        });
      }
      // The walk changed the data, moved the clock both ways, and sent many pages kept.
      expect(counts.changes).toBeGreaterThan(10);
      expect(counts.backwards).toBeGreaterThan(5);
      expect(counts.kept).toBeGreaterThan(60);
    });
  });
});
