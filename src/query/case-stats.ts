import {
  SEVERITIES,
  SOURCES,
  type CaseStatus,
  type Severity,
  type Source,
  type SupportCase,
} from '../cases/case.model.js';
import type { CaseIndex } from './case-index.js';
import type { CaseFilter } from './case-query.js';
import { collationKey } from './collation.js';
import { DAY_MS } from './days-open.js';

/** Days allowed from creation to resolution, per severity. */
export type SlaDays = Record<Severity, number>;

export type OpenStatus = 'new' | 'open' | 'pending';

export interface DashboardKpi {
  /** Status new, open or pending. */
  open: number;
  /** Created at or after now − 24 h (and now − 7 days for the week). */
  newLastDay: number;
  newLastWeek: number;
  /** closedAt ?? resolvedAt at or after now − 24 h (now − 7 days). */
  closedLastDay: number;
  closedLastWeek: number;
  /** Open and past their SLA due time. */
  slaBreached: number;
  /** Open and not updated for 7 days. */
  stale: number;
  /** Open with no assignee. */
  unassigned: number;
}

export interface WeeklyCount {
  /** Monday of the ISO week, UTC, as YYYY-MM-DD. */
  weekStart: string;
  /** Cases created that week. */
  opened: number;
  /** Cases whose closedAt ?? resolvedAt falls in that week. */
  closed: number;
}

export interface DashboardStats {
  kpi: DashboardKpi;
  openBySeverity: Record<Severity, number>;
  openByStatus: Record<OpenStatus, number>;
  openBySource: Record<Source, number>;
  /** The last 12 ISO weeks, oldest first, the current one last. */
  weekly: WeeklyCount[];
}

export interface SlaState {
  /** createdAt + the severity's SLA; null without a createdAt. */
  dueAt: string | null;
  state: 'ok' | 'at-risk' | 'breached' | 'done';
}

/** Open cases past or near their SLA due time, each list soonest due first (ties by id). */
export interface SlaCases {
  breached: SupportCase[];
  atRisk: SupportCase[];
}

// A local binding: see bitset.ts.
const { floor } = Math;
const WEEKS = 12;
const WEEK_MS = 7 * DAY_MS;
const STALE_MS = 7 * DAY_MS;
/** Share of the SLA time used from which an open case is at risk. */
const AT_RISK_SHARE = 0.75;

export function isOpenStatus(status: CaseStatus): status is OpenStatus {
  return status === 'new' || status === 'open' || status === 'pending';
}

/** KPIs, open-work breakdowns and a 12-week opened/closed series over the filtered cases. */
export function dashboardStats(
  index: CaseIndex,
  filter: CaseFilter,
  now: Date,
  slaDays: SlaDays,
): DashboardStats {
  const nowMs = now.getTime();
  const dayAgo = nowMs - DAY_MS;
  const weekAgo = nowMs - WEEK_MS;
  const staleBefore = nowMs - STALE_MS;
  const firstWeek = mondayUtc(nowMs) - (WEEKS - 1) * WEEK_MS;
  const weekly = Array.from({ length: WEEKS }, (_, i) => ({
    weekStart: new Date(firstWeek + i * WEEK_MS).toISOString().slice(0, 10),
    opened: 0,
    closed: 0,
  }));
  // NaN (no date) fails the comparison, so it lands in no week.
  const weekOf = (ms: number) => (ms >= firstWeek ? floor((ms - firstWeek) / WEEK_MS) : -1);
  const kpi: DashboardKpi = {
    open: 0,
    newLastDay: 0,
    newLastWeek: 0,
    closedLastDay: 0,
    closedLastWeek: 0,
    slaBreached: 0,
    stale: 0,
    unassigned: 0,
  };
  const openBySeverity = zeros(SEVERITIES);
  const openByStatus = zeros(['new', 'open', 'pending'] as const);
  const openBySource = zeros(SOURCES);
  index.forEachMatch(filter, (c, createdMs, updatedMs, endedMs) => {
    if (createdMs >= dayAgo) kpi.newLastDay++;
    if (createdMs >= weekAgo) kpi.newLastWeek++;
    if (endedMs >= dayAgo) kpi.closedLastDay++;
    if (endedMs >= weekAgo) kpi.closedLastWeek++;
    const openedWeek = weekOf(createdMs);
    if (openedWeek >= 0 && openedWeek < WEEKS) weekly[openedWeek].opened++;
    const closedWeek = weekOf(endedMs);
    if (closedWeek >= 0 && closedWeek < WEEKS) weekly[closedWeek].closed++;
    if (!isOpenStatus(c.status)) return;
    kpi.open++;
    openBySeverity[c.severity]++;
    openByStatus[c.status]++;
    openBySource[c.source]++;
    if (updatedMs < staleBefore) kpi.stale++;
    if (c.assignee === null) kpi.unassigned++;
    if (runningState(createdMs, dueOf(c, createdMs, slaDays), nowMs) === 'breached') {
      kpi.slaBreached++;
    }
  });
  return { kpi, openBySeverity, openByStatus, openBySource, weekly };
}

/**
 * Where a case stands against its SLA: solved and closed cases are done; an open case is due
 * slaDays[severity] days after creation, at risk once 75% of that time is used, breached from
 * the due time on; without a createdAt it is ok, with no due time.
 */
export function slaState(c: SupportCase, now: Date, slaDays: SlaDays): SlaState {
  const clock = slaClock(c, slaDays);
  return { dueAt: clock.dueAt, state: slaStateAt(clock, now.getTime()) };
}

/** What slaState reads from a case, worked out once for callers that ask at many instants. */
export interface SlaClock {
  createdMs: number;
  dueMs: number;
  dueAt: string | null;
  open: boolean;
}

export function slaClock(c: SupportCase, slaDays: SlaDays): SlaClock {
  const createdMs = parseTime(c.createdAt);
  const dueMs = dueOf(c, createdMs, slaDays);
  return {
    createdMs,
    dueMs,
    dueAt: dueMs !== dueMs ? null : new Date(dueMs).toISOString(),
    open: isOpenStatus(c.status),
  };
}

/** slaState(c, now).state from the case's clock. */
export function slaStateAt(clock: SlaClock, nowMs: number): SlaState['state'] {
  return clock.open ? runningState(clock.createdMs, clock.dueMs, nowMs) : 'done';
}

/**
 * An instant after `nowMs` before which slaStateAt gives the same state as at `nowMs` (it may
 * change then, or a little later): Infinity once nothing can change.
 */
export function slaStateChangesAt(clock: SlaClock, nowMs: number): number {
  const { createdMs, dueMs } = clock;
  if (!clock.open || dueMs !== dueMs || nowMs >= dueMs) return Infinity;
  // The at-risk test compares in floating point: the instant computed the same way is never
  // later than the first whole millisecond that passes it.
  const atRisk = createdMs + (dueMs - createdMs) * AT_RISK_SHARE;
  // A due time before the creation time (an upstream due date, a skewed clock) puts the
  // at-risk instant after it: the due time comes first then.
  return atRisk === atRisk && atRisk > nowMs && atRisk < dueMs ? atRisk : dueMs;
}

/** The open cases among the filtered ones that breached their SLA or are at risk. */
export function slaCases(
  index: CaseIndex,
  filter: CaseFilter,
  now: Date,
  slaDays: SlaDays,
): SlaCases {
  const nowMs = now.getTime();
  const found: { c: SupportCase; due: number; id: string; breached: boolean }[] = [];
  index.forEachMatch({ ...filter, open: true }, (c, createdMs) => {
    const due = dueOf(c, createdMs, slaDays);
    const state = runningState(createdMs, due, nowMs);
    if (state !== 'ok')
      found.push({ c, due, id: collationKey(c.id), breached: state === 'breached' });
  });
  found.sort((a, b) => a.due - b.due || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    breached: found.filter((entry) => entry.breached).map((entry) => entry.c),
    atRisk: found.filter((entry) => !entry.breached).map((entry) => entry.c),
  };
}

/** The upstream's own due time when it has one (GLPI time to resolve, JIRA due date), else
 * the configured days for the severity after creation. */
function dueOf(c: SupportCase, createdMs: number, slaDays: SlaDays): number {
  const upstream = (c as { dueAt?: string | null }).dueAt;
  if (upstream) {
    const ms = Date.parse(upstream);
    if (ms === ms) return ms;
  }
  return createdMs + slaDays[c.severity] * DAY_MS;
}

function runningState(
  createdMs: number,
  dueMs: number,
  nowMs: number,
): 'ok' | 'at-risk' | 'breached' {
  if (dueMs !== dueMs) return 'ok'; // NaN: no createdAt
  if (nowMs >= dueMs) return 'breached';
  return nowMs - createdMs >= (dueMs - createdMs) * AT_RISK_SHARE ? 'at-risk' : 'ok';
}

/** Midnight UTC of the Monday starting the ISO week that holds `ms`. */
function mondayUtc(ms: number): number {
  const day = floor(ms / DAY_MS);
  // 1970-01-01 was a Thursday: three days after a Monday.
  return (day - ((((day + 3) % 7) + 7) % 7)) * DAY_MS;
}

function parseTime(iso: string | null): number {
  return iso === null ? NaN : Date.parse(iso);
}

function zeros<T extends string>(values: readonly T[]): Record<T, number> {
  return Object.fromEntries(values.map((value) => [value, 0])) as Record<T, number>;
}
