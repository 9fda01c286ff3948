import { SEVERITIES, type Severity, type Source, type SupportCase } from '../cases/case.model.js';
import { isOpenStatus, slaState } from '../query/case-stats.js';
import type { SyncStatus } from '../store/sync-status.js';
import { WATCH_RULES, type WatchRule } from './watch-routing.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MINUTE_MS = 60_000;

export interface WatchThresholds {
  /** New cases at least this severe are reported. */
  minSeverity: Severity;
  /** A case created this recently is new. */
  newHours: number;
  /** Open cases due within this many hours are reported (past due: always). */
  slaWarnHours: number;
  /** Open cases not updated for this many days are stale. */
  staleDays: number;
  /** A source without a successful sync for this long is reported. */
  syncStaleMinutes: number;
  slaDays: Record<Severity, number>;
}

/** One thing worth telling people about, from one rule. */
export interface Finding {
  rule: WatchRule;
  /** What the finding is about: a case id, or `sync-<source>`. */
  subject: string;
  /**
   * What the rule looked at; the same finding with the same fingerprint is notified once, a
   * changed fingerprint (severity raised, SLA breached, case updated then stale again, a new
   * outage) is notified again.
   */
  fingerprint: string;
  severity: Severity | null;
  case: SupportCase | null;
  source: Source;
  /** One line saying why, e.g. "SLA breached 5 h ago (due 2026-11-20 09:00 UTC)". */
  detail: string;
}

const severityRank = (s: Severity) => SEVERITIES.indexOf(s);

export const formatInstant = (iso: string) =>
  iso.replace('T', ' ').replace(/:\d{2}(\.\d+)?Z$/, ' UTC');

function hoursText(ms: number): string {
  const hours = Math.abs(ms) / HOUR_MS;
  return hours >= 48 ? `${Math.floor(hours / 24)} d` : `${Math.floor(hours)} h`;
}

/** The rules that fire for one case at `now`. */
export function caseFindings(c: SupportCase, now: Date, t: WatchThresholds): Finding[] {
  if (!isOpenStatus(c.status)) return [];
  const nowMs = now.getTime();
  const found: Finding[] = [];
  const base = { subject: c.id, severity: c.severity, case: c, source: c.source };
  const createdMs = c.createdAt === null ? NaN : Date.parse(c.createdAt);
  if (
    createdMs >= nowMs - t.newHours * HOUR_MS &&
    severityRank(c.severity) <= severityRank(t.minSeverity)
  ) {
    found.push({
      ...base,
      rule: 'new-case',
      fingerprint: c.severity,
      detail: `new ${c.severity} case, opened ${formatInstant(c.createdAt!)}`,
    });
  }
  const { dueAt } = slaState(c, now, t.slaDays);
  if (dueAt !== null) {
    const left = Date.parse(dueAt) - nowMs;
    if (left <= 0) {
      found.push({
        ...base,
        rule: 'sla',
        fingerprint: `breached|${dueAt}`,
        detail: `SLA breached ${hoursText(left)} ago (due ${formatInstant(dueAt)})`,
      });
    } else if (left <= t.slaWarnHours * HOUR_MS) {
      found.push({
        ...base,
        rule: 'sla',
        fingerprint: `near|${dueAt}`,
        detail: `SLA due in ${hoursText(left)} (${formatInstant(dueAt)})`,
      });
    }
  }
  const updatedMs = Date.parse(c.updatedAt);
  if (updatedMs < nowMs - t.staleDays * DAY_MS) {
    found.push({
      ...base,
      rule: 'stale',
      fingerprint: c.updatedAt,
      detail: `no update for ${Math.floor((nowMs - updatedMs) / DAY_MS)} days (since ${formatInstant(c.updatedAt)})`,
    });
  }
  return found;
}

/**
 * A source whose last run failed, or that has not synced successfully for syncStaleMinutes
 * (a source that never ran is not reported: it may simply be new). One notice per outage: the
 * fingerprint is the last success.
 */
export function syncFinding(status: SyncStatus, now: Date, t: WatchThresholds): Finding | null {
  const lastSuccessMs = status.lastSuccessAt === null ? NaN : Date.parse(status.lastSuccessAt);
  const failing = status.consecutiveFailures > 0;
  const late =
    status.lastRunAt !== null && !(lastSuccessMs >= now.getTime() - t.syncStaleMinutes * MINUTE_MS);
  if (!failing && !late) return null;
  const since = status.lastSuccessAt
    ? `last success ${formatInstant(status.lastSuccessAt)}`
    : 'never succeeded';
  const why = failing
    ? `${status.consecutiveFailures} failed run${status.consecutiveFailures === 1 ? '' : 's'} in a row`
    : `no successful sync for ${t.syncStaleMinutes} min`;
  const error =
    failing && status.lastError ? `; last error: ${status.lastError.slice(0, 300)}` : '';
  return {
    rule: 'sync-failed',
    subject: `sync-${status.source}`,
    fingerprint: status.lastSuccessAt ?? 'never',
    severity: null,
    case: null,
    source: status.source,
    detail: `${status.source} sync: ${why}, ${since}${error}`,
  };
}

/** Every finding, ordered by rule, then severity (most severe first), then subject. */
export function evaluate(
  cases: Iterable<SupportCase>,
  statuses: SyncStatus[],
  now: Date,
  t: WatchThresholds,
): Finding[] {
  const found: Finding[] = [];
  for (const c of cases) found.push(...caseFindings(c, now, t));
  for (const status of statuses) {
    const finding = syncFinding(status, now, t);
    if (finding) found.push(finding);
  }
  return found.sort(compareFindings);
}

const SUBJECT_ORDER = new Intl.Collator('en', { numeric: true });

export function compareFindings(a: Finding, b: Finding): number {
  return (
    WATCH_RULES.indexOf(a.rule) - WATCH_RULES.indexOf(b.rule) ||
    (a.severity ? severityRank(a.severity) : 9) - (b.severity ? severityRank(b.severity) : 9) ||
    SUBJECT_ORDER.compare(a.subject, b.subject)
  );
}
