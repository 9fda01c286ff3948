import type { SupportCase } from '../cases/case.model.js';
import { aCase } from '../query/case-fixture.js';
import { DAY_MS } from '../query/days-open.js';
import type { CaseRow } from './case-read.service.js';
import { DataTableRows } from './datatable-rows.js';

const SLA_DAYS = { urgent: 1, high: 3, normal: 10, low: 30 };
const HOUR = 3_600_000;
const CREATED = Date.parse('2025-06-01T00:00:00.000Z');

type Row = { key: string; title: string; daysOpen: number | null; sla: { state: string } };

/** Rows as the read service builds them, with the scope's name in the title to tell them apart. */
function rowsFor(maxRows?: number) {
  const built: string[] = [];
  const rowOf = (c: SupportCase, scope: string[] | null): CaseRow => {
    built.push(c.key);
    return {
      ...c,
      title: `${c.title} for ${scope?.join('+') ?? 'all'}`,
      daysOpen: null,
      sla: { state: 'ok', dueAt: null },
      href: `/cases/${c.source}/${c.key}`,
      linked: [],
    };
  };
  const rows = new DataTableRows(SLA_DAYS, rowOf, maxRows);
  const read = (
    cases: SupportCase[],
    nowMs: number,
    scope: string[] | null = null,
    version = 1,
    slots = Int32Array.from(cases, (_, i) => i),
  ) =>
    rows
      .rowTexts(cases, slots, scope, version, nowMs)
      .map((text) => JSON.parse(text) as Row)
      .map((r) => ({ key: r.key, title: r.title, days: r.daysOpen, state: r.sla.state }));
  return { read, built, rows };
}

describe(DataTableRows.name, () => {
  // Normal severity: due after 10 days, at risk from 7.5 days.
  const running = aCase({ key: 'SUP-1', createdAt: new Date(CREATED).toISOString() });

  it('should give days open and SLA state as they are at each instant, either side of each change', () => {
    const { read } = rowsFor();
    const at = (ms: number) => read([running], ms)[0];
    for (const [ms, days, state] of [
      [CREATED + DAY_MS - 1, 0, 'ok'],
      [CREATED + DAY_MS, 1, 'ok'],
      [CREATED + 7.5 * DAY_MS - 1, 7, 'ok'],
      [CREATED + 7.5 * DAY_MS, 7, 'at-risk'],
      [CREATED + 10 * DAY_MS - 1, 9, 'at-risk'],
      [CREATED + 10 * DAY_MS, 10, 'breached'],
      // The clock went back: the row is worked out again, not taken from later.
      [CREATED + 2 * HOUR, 0, 'ok'],
    ] as const) {
      expect({ ms, ...at(ms) }).toEqual({
        ms,
        key: 'SUP-1',
        title: expect.any(String) as string,
        days,
        state,
      });
    }
  });

  it('should tell the span all the texts of a page hold for', () => {
    const { read, rows } = rowsFor();
    // Urgent, created 12 h before CREATED: at risk from CREATED + 6 h, due at CREATED + 12 h.
    const urgent = aCase({
      key: 'SUP-2',
      severity: 'urgent',
      createdAt: new Date(CREATED - 12 * HOUR).toISOString(),
    });
    const slots = Int32Array.of(0, 1);
    read([running, urgent], CREATED + 2 * HOUR);
    expect(rows.validSpan(slots)).toEqual([CREATED + 2 * HOUR, CREATED + 6 * HOUR]);
    // Both reused: the span is the one they were worked out for.
    read([running, urgent], CREATED + 3 * HOUR);
    expect(rows.validSpan(slots)).toEqual([CREATED + 2 * HOUR, CREATED + 6 * HOUR]);
    // The urgent row is worked out again (at risk); the running one still holds until day 1.
    expect(read([running, urgent], CREATED + 7 * HOUR)[1].state).toBe('at-risk');
    expect(rows.validSpan(slots)).toEqual([CREATED + 7 * HOUR, CREATED + 12 * HOUR]);
    expect(rows.validSpan(Int32Array.of(0))).toEqual([CREATED + 2 * HOUR, CREATED + DAY_MS]);
    expect(rows.validSpan(new Int32Array(0))).toEqual([-Infinity, Infinity]);
  });

  it('should serialize a case once per store version and scope, and keep scopes apart', () => {
    const { read, built } = rowsFor();
    const now = CREATED + HOUR;
    expect(read([running], now)[0].title).toBe('Checkout fails for all');
    expect(read([running], now + HOUR)[0].title).toBe('Checkout fails for all');
    expect(built).toEqual(['SUP-1']);
    expect(read([running], now, ['ACME'])[0].title).toBe('Checkout fails for ACME');
    expect(read([running], now)[0].title).toBe('Checkout fails for all');
    expect(read([running], now, null, 2)[0].title).toBe('Checkout fails for all');
    expect(built).toEqual(['SUP-1', 'SUP-1', 'SUP-1', 'SUP-1']);
  });

  it('should give a reused slot the row of the case that holds it now', () => {
    const { read } = rowsFor();
    const other = aCase({ key: 'SUP-2', title: 'Other', createdAt: running.createdAt });
    const slot = Int32Array.of(7);
    expect(read([running], CREATED, null, 1, slot)[0].key).toBe('SUP-1');
    expect(read([other], CREATED, null, 1, slot)[0]).toMatchObject({
      key: 'SUP-2',
      title: 'Other for all',
    });
  });

  it('should drop every row past its bound and still answer each page in full', () => {
    const { read, built } = rowsFor(3);
    const cases = Array.from({ length: 5 }, (_, i) =>
      aCase({ key: `SUP-${i}`, createdAt: running.createdAt }),
    );
    for (let round = 0; round < 2; round++) {
      expect(read(cases, CREATED).map((r) => r.key)).toEqual(cases.map((c) => c.key));
    }
    // Five rows never fit in three: the second round serializes them again.
    expect(built).toHaveLength(10);
  });

  it('should answer in ASCII, escaping everything else', () => {
    const text = new DataTableRows(SLA_DAYS, (c) => ({
      ...c,
      daysOpen: null,
      sla: { state: 'ok', dueAt: null },
      href: '',
      linked: [],
    })).rowTexts([aCase({ title: 'Café 🔥 \u2028' })], Int32Array.of(0), null, 1, CREATED)[0];
    expect(text).toMatch(/^[\x20-\x7e]*$/);
    expect((JSON.parse(text) as Row).title).toBe('Café 🔥 \u2028');
  });
});
