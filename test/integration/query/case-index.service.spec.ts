import { Module } from '@nestjs/common';
import type { Source, SupportCase } from '../../../src/cases/case.model.js';
import { aCase } from '../../../src/query/case-fixture.js';
import { CaseIndexService } from '../../../src/query/case-index.service.js';
import type { RunPlan, Upsert } from '../../../src/store/case.store.js';
import {
  createTestContext,
  deletePrefix,
  testEnv,
  uniquePrefix,
  type TestContext,
} from '../../support/test-context.js';

@Module({ providers: [CaseIndexService], exports: [CaseIndexService] })
class CaseIndexTestModule {}

function plan(source: Source, upserts: Upsert[], removals: SupportCase[] = []): RunPlan {
  const at = new Date().toISOString();
  return {
    source,
    upserts,
    removals,
    cursor: null,
    summary: {
      source,
      mode: 'incremental',
      startedAt: at,
      finishedAt: at,
      durationMs: 0,
      cursor: null,
      unknownValues: 0,
      fetched: upserts.length,
      created: upserts.filter((u) => u.prev === null).length,
      updated: upserts.filter((u) => u.prev !== null).length,
      unchanged: 0,
      removed: removals.length,
    },
  };
}

const created = (next: SupportCase): Upsert => ({ next, prev: null, uid: next.key });

describe(CaseIndexService.name, () => {
  const prefix = uniquePrefix('case-index');
  const first = aCase({ key: 'SUP-1', title: 'Checkout fails', status: 'open' });
  const second = aCase({ key: 'SUP-2', title: 'Refund stuck', status: 'new', account: 'Globex' });
  const printer = aCase({
    source: 'glpi',
    key: '7',
    title: 'Printer jam',
    links: [{ source: 'jira', key: 'SUP-1' }],
  });
  let writer: TestContext;
  let reader: TestContext;
  let service: CaseIndexService;

  beforeAll(async () => {
    writer = await createTestContext(testEnv(prefix), []);
    await writer.store.apply(plan('jira', [created(first), created(second)]));
    await writer.store.apply(plan('glpi', [created(printer)]));
    // A second process, as the web role is: it loads what the writer stored.
    reader = await createTestContext(testEnv(prefix), [CaseIndexTestModule]);
    service = reader.app.get(CaseIndexService);
    service.refreshMs = 60_000;
    await service.ready;
  });

  afterAll(async () => {
    await reader.close();
    await writer.close();
    await deletePrefix(prefix);
  });

  it('should load every stored case at boot, with links from both sides', async () => {
    expect(service.index.size).toBe(3);
    expect(service.version).toBe((await writer.store.changedSince(0)).version);
    expect(service.index.get(printer.id)).toEqual(printer);
    expect(service.index.get(first.id)?.links).toEqual([{ source: 'glpi', key: '7' }]);
    const result = service.index.query({
      filter: { q: 'refund' },
      sort: [{ field: 'key', dir: 'asc' }],
      offset: 0,
      limit: 50,
    });
    expect(result.items).toEqual([second]);
  });

  it('should pick up an update and a removal on refresh', async () => {
    const solved = { ...first, status: 'solved' as const, updatedAt: '2025-06-03T00:00:00.000Z' };
    await writer.store.apply(
      plan('jira', [{ next: solved, prev: first, uid: first.key }], [second]),
    );
    await service.refreshNow();
    expect(service.index.size).toBe(2);
    expect(service.index.get(second.id)).toBeUndefined();
    expect(service.index.get(first.id)?.status).toBe('solved');
    expect(service.index.facets({}).status).toMatchObject({ open: 1, solved: 1, new: 0 });
    expect(service.version).toBe((await writer.store.changedSince(0)).version);
  });

  it('should drop a link from the case it pointed at when the linking case changes', async () => {
    const unlinked = { ...printer, links: [] };
    await writer.store.apply(plan('glpi', [{ next: unlinked, prev: printer, uid: printer.key }]));
    await service.refreshNow();
    expect(service.index.get(printer.id)?.links).toEqual([]);
    expect(service.index.get(first.id)?.links).toEqual([]);
  });

  it('should change nothing when nothing was written', async () => {
    const before = service.version;
    await service.refreshNow();
    expect(service.version).toBe(before);
    expect(service.index.size).toBe(2);
  });
});
