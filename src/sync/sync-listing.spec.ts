import type { SupportCase } from '../cases/case.model.js';
import type {
  CaseSource,
  FetchOptions,
  FetchPage,
  SourceRecord,
  TimelineEntry,
} from '../sources/case-source.port.js';
import { listSince, type ListingProgress } from './sync-listing.js';
import { ListingUnstableError } from './sync.errors.js';

function aRecord(
  uid: string,
  updatedAt: string,
  overrides: Partial<SupportCase> = {},
): SourceRecord {
  return {
    uid,
    case: {
      id: `glpi:${uid}`,
      source: 'glpi',
      key: uid,
      url: `https://glpi.example.com/front/ticket.form.php?id=${uid}`,
      title: `Ticket ${uid}`,
      status: 'open',
      statusRaw: 'Processing (assigned)',
      severity: 'normal',
      severityRaw: 'Medium',
      assignee: null,
      requester: null,
      account: null,
      product: null,
      component: null,
      createdAt: null,
      updatedAt,
      resolvedAt: null,
      closedAt: null,
      links: [],
      labels: [],
      ...overrides,
    },
  };
}

const page = (records: SourceRecord[], total?: number): FetchPage => ({ records, total });

/** A CaseSource whose n-th listing yields the n-th scripted pass, page by page. */
class ScriptedSource implements CaseSource {
  readonly name = 'glpi' as const;
  readonly calls: (Date | null)[] = [];

  constructor(private readonly passes: FetchPage[][]) {}

  async *fetchUpdatedSince(since: Date | null, _options?: FetchOptions): AsyncIterable<FetchPage> {
    this.calls.push(since);
    const pass = this.passes[this.calls.length - 1];
    if (!pass) throw new Error(`no pass scripted for listing #${this.calls.length}`);
    for (const p of pass) {
      await Promise.resolve();
      yield p;
    }
  }

  fetchByKeys(): Promise<SourceRecord[]> {
    return Promise.reject(new Error('not used by the listing'));
  }

  fetchTimeline(): Promise<TimelineEntry[]> {
    return Promise.resolve([]);
  }

  healthCheck(): Promise<void> {
    return Promise.resolve();
  }
}

const T = (hhmmss: string) => `2025-03-01T${hhmmss}.000Z`;
const updatedAts = (result: Map<string, SourceRecord>) =>
  Object.fromEntries([...result].map(([uid, r]) => [uid, r.case.updatedAt]));

describe(listSince.name, () => {
  it('should list every record of a stable listing once, keyed by uid', async () => {
    const source = new ScriptedSource([
      [
        page([aRecord('1', T('10:00:00')), aRecord('2', T('10:01:00'))]),
        page([aRecord('3', T('10:02:00'))]),
      ],
    ]);
    const since = new Date(T('09:00:00'));
    const result = await listSince(source, since, 60_000, {});
    expect([...result.keys()]).toEqual(['1', '2', '3']);
    expect(result.get('2')).toMatchObject(aRecord('2', T('10:01:00')));
    expect(JSON.parse(result.get('2')!.json)).toEqual(aRecord('2', T('10:01:00')).case);
    expect(source.calls).toEqual([since]);
  });

  it('should return an empty map for an empty listing', async () => {
    const source = new ScriptedSource([[]]);
    expect((await listSince(source, null, 60_000, {})).size).toBe(0);
    expect(source.calls).toEqual([null]);
  });

  it('should keep one record per uid, the one listed last when timestamps are equal', async () => {
    const source = new ScriptedSource([
      [
        page([aRecord('1', T('10:00:00'), { title: 'first copy' })]),
        page([aRecord('1', T('10:00:00'), { title: 'second copy' })]),
      ],
    ]);
    const result = await listSince(source, null, 60_000, {});
    expect(result.size).toBe(1);
    expect(result.get('1')?.case.title).toBe('second copy');
    expect(source.calls).toHaveLength(1);
  });

  it('should list again from just before a record that moved, and find what the move hid', async () => {
    // Tickets 1..4 updated 10:00..10:03, pages of 2. Ticket 1 is edited at 10:05 between the
    // pages: 2 3 4 1, so page 2 (offset 2) is "4 1" and ticket 3 is never listed.
    const source = new ScriptedSource([
      [
        page([aRecord('1', T('10:00:00')), aRecord('2', T('10:01:00'))]),
        page([aRecord('4', T('10:03:00')), aRecord('1', T('10:05:00'))]),
      ],
      [
        page([aRecord('2', T('10:01:00')), aRecord('3', T('10:02:00'))]),
        page([aRecord('4', T('10:03:00')), aRecord('1', T('10:05:00'))]),
      ],
    ]);
    const result = await listSince(source, null, 60_000, {});
    // Second pass from the older timestamp of the moved ticket minus the one-minute overlap.
    expect(source.calls).toEqual([null, new Date(T('09:59:00'))]);
    expect(updatedAts(result)).toEqual({
      '1': T('10:05:00'),
      '2': T('10:01:00'),
      '3': T('10:02:00'),
      '4': T('10:03:00'),
    });
  });

  it('should start the further pass at the earliest of several moved records', async () => {
    const source = new ScriptedSource([
      [
        page([aRecord('2', T('10:01:00')), aRecord('5', T('10:04:00'))]),
        page([aRecord('2', T('10:08:00')), aRecord('5', T('10:09:00'))]),
      ],
      [page([aRecord('2', T('10:08:00')), aRecord('5', T('10:09:00'))])],
    ]);
    await listSince(source, null, 30_000, {});
    expect(source.calls[1]).toEqual(new Date(T('10:00:30')));
  });

  it('should not start a further pass before the requested since', async () => {
    const since = new Date(T('09:59:50'));
    const source = new ScriptedSource([
      [page([aRecord('1', T('10:00:00'))]), page([aRecord('1', T('10:05:00'))])],
      [page([aRecord('1', T('10:05:00'))])],
    ]);
    await listSince(source, since, 60_000, {});
    expect(source.calls).toEqual([since, since]);
  });

  it('should keep the newest version when a later pass returns an older one', async () => {
    const source = new ScriptedSource([
      [
        page([aRecord('1', T('10:00:00')), aRecord('2', T('10:01:00'))]),
        page([aRecord('1', T('10:05:00'), { title: 'edited' })]),
      ],
      [
        page([
          aRecord('1', T('10:00:00'), { title: 'stale replica' }),
          aRecord('2', T('10:01:00')),
        ]),
      ],
    ]);
    const result = await listSince(source, null, 60_000, {});
    expect(result.get('1')?.case).toMatchObject({ updatedAt: T('10:05:00'), title: 'edited' });
  });

  it('should repeat the whole pass when the announced total shrinks', async () => {
    // Ticket 2 is deleted between the pages: the total drops from 4 to 3 and ticket 3 slips
    // under the page boundary.
    const since = new Date(T('09:00:00'));
    const source = new ScriptedSource([
      [
        page([aRecord('1', T('10:00:00')), aRecord('2', T('10:01:00'))], 4),
        page([aRecord('4', T('10:03:00'))], 3),
      ],
      [
        page([aRecord('1', T('10:00:00')), aRecord('3', T('10:02:00'))], 3),
        page([aRecord('4', T('10:03:00'))], 3),
      ],
    ]);
    const result = await listSince(source, since, 60_000, {});
    expect(source.calls).toEqual([since, since]);
    expect(result.get('3')?.case.updatedAt).toBe(T('10:02:00'));
  });

  it('should not repeat a pass when the total grows', async () => {
    const source = new ScriptedSource([
      [page([aRecord('1', T('10:00:00'))], 2), page([aRecord('2', T('10:01:00'))], 3)],
    ]);
    await listSince(source, null, 60_000, {});
    expect(source.calls).toHaveLength(1);
  });

  it('should give up with ListingUnstableError after three unstable passes', async () => {
    const unstable = () => [
      page([aRecord('1', T('10:00:00'))], 2),
      page([aRecord('2', T('10:01:00'))], 1),
    ];
    const source = new ScriptedSource([unstable(), unstable(), unstable(), unstable()]);
    const listing = listSince(source, null, 60_000, {});
    await expect(listing).rejects.toThrow(ListingUnstableError);
    await expect(listing).rejects.toThrow(
      'glpi: the upstream listing changed under paging in 3 passes in a row',
    );
    expect(source.calls).toHaveLength(3);
  });

  it('should settle when the third pass is stable', async () => {
    const moved = () => [page([aRecord('1', T('10:00:00'))]), page([aRecord('1', T('10:05:00'))])];
    const source = new ScriptedSource([moved(), moved(), [page([aRecord('1', T('10:05:00'))])]]);
    const result = await listSince(source, null, 60_000, {});
    expect(source.calls).toHaveLength(3);
    expect(updatedAts(result)).toEqual({ '1': T('10:05:00') });
  });

  it('should report progress after every page', async () => {
    const progress: ListingProgress[] = [];
    const source = new ScriptedSource([
      [
        page([aRecord('1', T('10:00:00')), aRecord('2', T('10:01:00'))], 3),
        page([aRecord('3', T('10:02:00'))], 3),
      ],
    ]);
    await listSince(source, null, 60_000, { onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([
      { fetched: 2, total: 3 },
      { fetched: 3, total: 3 },
    ]);
  });

  it('should pass the abort signal to the source', async () => {
    const controller = new AbortController();
    const seen: (AbortSignal | undefined)[] = [];
    const source = new ScriptedSource([[]]);
    const original = source.fetchUpdatedSince.bind(source);
    source.fetchUpdatedSince = (since, options) => {
      seen.push(options?.signal);
      return original(since, options);
    };
    await listSince(source, null, 0, { signal: controller.signal });
    expect(seen).toEqual([controller.signal]);
  });
});
