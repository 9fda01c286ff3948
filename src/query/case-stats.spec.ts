import type { SupportCase } from '../cases/case.model.js';
import { aCase } from './case-fixture.js';
import { CaseIndex } from './case-index.js';
import {
  dashboardStats,
  slaCases,
  slaState,
  slaStateAt,
  slaStateChangesAt,
  type SlaClock,
  type SlaDays,
} from './case-stats.js';

const NOW = new Date('2025-06-18T12:00:00.000Z'); // a Wednesday
const SLA: SlaDays = { urgent: 2, high: 30, normal: 38, low: 60 };

// At NOW: A's SLA is 58% used (ok), B's 50% (ok), C's 77% (at risk), F long breached, G 12% (ok).
const A = aCase({
  source: 'glpi',
  key: '9',
  status: 'open',
  severity: 'high',
  assignee: 'Bob',
  createdAt: '2025-06-01T00:00:00.000Z',
  updatedAt: '2025-06-10T00:00:00.000Z',
});
const B = aCase({
  source: 'glpi',
  key: '10',
  status: 'new',
  severity: 'urgent',
  assignee: null,
  createdAt: '2025-06-17T12:00:00.000Z',
  updatedAt: '2025-06-18T10:00:00.000Z',
});
const C = aCase({
  source: 'jira',
  key: 'SUP-9',
  status: 'pending',
  severity: 'normal',
  createdAt: '2025-05-20T08:00:00.000Z',
  updatedAt: '2025-06-18T09:00:00.000Z',
});
const D = aCase({
  source: 'jira',
  key: 'SUP-10',
  status: 'solved',
  severity: 'low',
  createdAt: '2025-05-26T00:00:00.000Z',
  updatedAt: '2025-06-12T00:00:00.000Z',
  resolvedAt: '2025-06-12T00:00:00.000Z',
});
const E = aCase({
  source: 'bugzilla',
  key: '100',
  status: 'closed',
  severity: 'high',
  createdAt: null,
  updatedAt: '2025-06-15T00:00:00.000Z',
  closedAt: '2025-06-15T00:00:00.000Z',
});
const F = aCase({
  source: 'bugzilla',
  key: '20',
  status: 'open',
  severity: 'urgent',
  assignee: 'Carol',
  createdAt: '2025-04-01T00:00:00.000Z',
  updatedAt: '2025-06-01T00:00:00.000Z',
});
const G = aCase({
  source: 'glpi',
  key: '11',
  status: 'open',
  severity: 'normal',
  assignee: null,
  createdAt: '2025-06-14T00:00:00.000Z',
  updatedAt: '2025-06-14T00:00:00.000Z',
});
// Created the day before the 12-week window, closed on its first instant.
const H = aCase({
  source: 'bugzilla',
  key: '5',
  status: 'closed',
  severity: 'low',
  createdAt: '2025-03-30T23:59:59.000Z',
  updatedAt: '2025-03-31T00:00:00.000Z',
  closedAt: '2025-03-31T00:00:00.000Z',
});

function indexOf(cases: SupportCase[]): CaseIndex {
  const index = new CaseIndex();
  index.replaceAll(cases);
  return index;
}

describe(dashboardStats.name, () => {
  const index = indexOf([A, B, C, D, E, F, G, H]);

  it('should compute the KPIs', () => {
    expect(dashboardStats(index, {}, NOW, SLA).kpi).toEqual({
      open: 5, // A B C F G
      newLastDay: 1, // B, created exactly 24 h ago
      newLastWeek: 2, // B G
      closedLastDay: 0,
      closedLastWeek: 2, // D resolved, E closed
      slaBreached: 1, // F
      stale: 2, // A F: no update since June 11, 12:00
      unassigned: 2, // B G
    });
  });

  it('should break open work down by severity, status and source', () => {
    const stats = dashboardStats(index, {}, NOW, SLA);
    expect(stats.openBySeverity).toEqual({ urgent: 2, high: 1, normal: 2, low: 0 });
    expect(stats.openByStatus).toEqual({ new: 1, open: 3, pending: 1 });
    expect(stats.openBySource).toEqual({ glpi: 3, jira: 1, bugzilla: 1 });
  });

  it('should count opened and closed cases per ISO week, the last 12 up to this one', () => {
    const weeks = [
      '03-31',
      '04-07',
      '04-14',
      '04-21',
      '04-28',
      '05-05',
      '05-12',
      '05-19',
      '05-26',
      '06-02',
      '06-09',
      '06-16',
    ];
    const opened = [1, 0, 0, 0, 0, 0, 0, 1, 2, 0, 1, 1]; // F | C | A (a Sunday) D (a Monday) | G | B
    const closed = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0]; // H | D, E (a Sunday)
    expect(dashboardStats(index, {}, NOW, SLA).weekly).toEqual(
      weeks.map((week, i) => ({ weekStart: `2025-${week}`, opened: opened[i], closed: closed[i] })),
    );
  });

  it('should start the current week on Monday even when now is a Monday', () => {
    const monday = new Date('2025-06-16T00:00:00.000Z');
    const weekly = dashboardStats(index, {}, monday, SLA).weekly;
    expect(weekly.at(-1)?.weekStart).toBe('2025-06-16');
    expect(weekly[0].weekStart).toBe('2025-03-31');
  });

  it('should count only the filtered cases', () => {
    const stats = dashboardStats(index, { source: ['jira'] }, NOW, SLA);
    expect(stats.kpi).toMatchObject({ open: 1, closedLastWeek: 1, slaBreached: 0 });
    expect(stats.openBySource).toEqual({ glpi: 0, jira: 1, bugzilla: 0 });
    expect(stats.weekly.map((w) => w.opened + w.closed)).toEqual([
      0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0,
    ]);
  });
});

describe(slaState.name, () => {
  it('should measure an open case against createdAt plus its severity SLA', () => {
    expect(slaState(A, NOW, SLA)).toEqual({ dueAt: '2025-07-01T00:00:00.000Z', state: 'ok' });
    expect(slaState(C, NOW, SLA)).toEqual({ dueAt: '2025-06-27T08:00:00.000Z', state: 'at-risk' });
    expect(slaState(F, NOW, SLA)).toEqual({ dueAt: '2025-04-03T00:00:00.000Z', state: 'breached' });
  });

  it('should call solved and closed cases done', () => {
    expect(slaState(D, NOW, SLA)).toEqual({ dueAt: '2025-07-25T00:00:00.000Z', state: 'done' });
    expect(slaState(E, NOW, SLA)).toEqual({ dueAt: null, state: 'done' });
  });

  it('should call an open case without createdAt ok, with no due time', () => {
    expect(slaState({ ...A, createdAt: null }, NOW, SLA)).toEqual({ dueAt: null, state: 'ok' });
  });

  it("should let the upstream's own due date win over the severity SLA", () => {
    // A was created 2025-06-01 (ok until 2025-07-01 by SLA); its upstream says 2025-06-10.
    const late = { ...A, dueAt: '2025-06-10T00:00:00.000Z' };
    expect(slaState(late, NOW, SLA)).toEqual({
      dueAt: '2025-06-10T00:00:00.000Z',
      state: 'breached',
    });
    const later = { ...F, dueAt: '2025-12-31T00:00:00.000Z' };
    expect(slaState(later, NOW, SLA).dueAt).toBe('2025-12-31T00:00:00.000Z');
    expect(slaState(later, NOW, SLA).state).not.toBe('breached');
  });

  it('should turn at risk at 75% of the time and breached at the due time', () => {
    const hoursAgo = (hours: number, ms = 0) =>
      aCase({
        severity: 'urgent',
        createdAt: new Date(NOW.getTime() - hours * 3600_000 + ms).toISOString(),
      });
    expect(slaState(hoursAgo(36, 1), NOW, SLA).state).toBe('ok');
    expect(slaState(hoursAgo(36), NOW, SLA).state).toBe('at-risk');
    expect(slaState(hoursAgo(48, 1), NOW, SLA).state).toBe('at-risk');
    expect(slaState(hoursAgo(48), NOW, SLA).state).toBe('breached');
  });
});

describe(slaCases.name, () => {
  // I: urgent, due June 12. J: high, due June 24, 82% used.
  const I = aCase({
    source: 'jira',
    key: 'SUP-11',
    severity: 'urgent',
    createdAt: '2025-06-10T00:00:00.000Z',
  });
  const J = aCase({
    source: 'jira',
    key: 'SUP-12',
    severity: 'high',
    createdAt: '2025-05-25T00:00:00.000Z',
  });
  const index = indexOf([A, B, C, D, E, F, G, H, I, J]);

  it('should list breached and at-risk open cases, soonest due first', () => {
    expect(slaCases(index, {}, NOW, SLA)).toEqual({ breached: [F, I], atRisk: [J, C] });
  });

  it('should list only the filtered cases', () => {
    expect(slaCases(index, { source: ['bugzilla'] }, NOW, SLA)).toEqual({
      breached: [F],
      atRisk: [],
    });
    expect(slaCases(index, { allowedAccounts: [] }, NOW, SLA)).toEqual({
      breached: [],
      atRisk: [],
    });
  });
});

describe(slaStateChangesAt.name, () => {
  const HOUR = 3_600_000;
  const created = Date.parse('2025-06-01T00:00:00.123Z');
  const clocks: SlaClock[] = [
    { createdMs: created, dueMs: created + 24 * HOUR, dueAt: null, open: true },
    // An upstream due date earlier than the at-risk share of a day, and one already past.
    { createdMs: created, dueMs: created + 7 * HOUR + 1, dueAt: null, open: true },
    { createdMs: created, dueMs: created - HOUR, dueAt: null, open: true },
    // Due before it was created, both ahead of now (a clock behind the upstream's).
    { createdMs: created + 20 * HOUR, dueMs: created + 5 * HOUR, dueAt: null, open: true },
    // No creation time but an upstream due date; neither; closed.
    { createdMs: NaN, dueMs: created + 10 * HOUR, dueAt: null, open: true },
    { createdMs: NaN, dueMs: NaN, dueAt: null, open: true },
    { createdMs: created, dueMs: created + 24 * HOUR, dueAt: null, open: false },
  ];

  it('should hold the state until the instant it gives, and change right after it', () => {
    for (const clock of clocks) {
      for (let now = created - HOUR; now < created + 30 * HOUR; now += 997_331) {
        const state = slaStateAt(clock, now);
        const until = slaStateChangesAt(clock, now);
        expect(until).toBeGreaterThan(now);
        const last = Math.min(Math.ceil(until) - 1, now + 40 * HOUR);
        for (const t of [now, Math.floor((now + last) / 2), last]) {
          expect({ clock, now, t, state: slaStateAt(clock, t) }).toEqual({ clock, now, t, state });
        }
        if (until !== Infinity) expect(slaStateAt(clock, Math.ceil(until) + 1)).not.toBe(state);
      }
    }
  });

  it('should never change a closed case, nor one past its due time', () => {
    expect(slaStateChangesAt(clocks[6], created)).toBe(Infinity);
    expect(slaStateChangesAt(clocks[2], created)).toBe(Infinity);
    expect(slaStateChangesAt(clocks[5], created)).toBe(Infinity);
  });
});
