import {
  CASE_STATUSES,
  SEVERITIES,
  type CaseStatus,
  type Severity,
  type Source,
  type SupportCase,
} from '../../cases/case.model.js';
import { upstreamCaseUrl, type UpstreamBases } from '../../cases/case-links.js';
import type { TimelineEntry } from '../../sources/case-source.port.js';

export interface WeeklyLink {
  id: string;
  /** The linked case's upstream page, when that upstream is configured. */
  url: string | null;
}

export interface WeeklyCase {
  id: string;
  source: Source;
  key: string;
  url: string;
  title: string;
  severity: Severity;
  assignee: string | null;
  updatedAt: string;
  links: WeeklyLink[];
  /** The most recent comment; null when the case has none or it could not be read. */
  lastComment: TimelineEntry | null;
  /** Why there is no comment: the case has none, or the upstream could not say. */
  commentState: 'found' | 'none' | 'unavailable';
}

export interface WeeklyStatusGroup {
  status: CaseStatus;
  cases: WeeklyCase[];
}

export interface WeeklyAccountGroup {
  /** null: cases without an account (listed last). */
  account: string | null;
  count: number;
  statuses: WeeklyStatusGroup[];
}

export interface WeeklyReport {
  since: string;
  until: string;
  total: number;
  accounts: WeeklyAccountGroup[];
}

const NAME_ORDER = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
const severityRank = (s: Severity) => SEVERITIES.indexOf(s);

/** The cases the report covers: updated in [since, until], within the account scope. */
export function selectWeekly(
  c: SupportCase,
  since: Date,
  until: Date,
  scope: string[] | null,
  account?: string,
): boolean {
  const updated = Date.parse(c.updatedAt);
  if (!(updated >= since.getTime() && updated <= until.getTime())) return false;
  if (scope !== null && (c.account === null || !scope.includes(c.account))) return false;
  return account === undefined || c.account === account;
}

/**
 * Groups cases by account (by name; no account last), then by status (workflow order), each
 * status's cases most severe first, then most recently updated, then by id.
 */
export function groupWeekly(
  cases: SupportCase[],
  comments: Map<string, TimelineEntry | null | undefined>,
  bases: UpstreamBases,
  since: Date,
  until: Date,
): WeeklyReport {
  const byAccount = new Map<string | null, SupportCase[]>();
  for (const c of cases) byAccount.set(c.account, [...(byAccount.get(c.account) ?? []), c]);
  const accounts = [...byAccount.keys()].sort((a, b) =>
    a === null ? 1 : b === null ? -1 : NAME_ORDER.compare(a, b) || (a < b ? -1 : 1),
  );
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    total: cases.length,
    accounts: accounts.map((account) => {
      const list = byAccount.get(account)!;
      return {
        account,
        count: list.length,
        statuses: CASE_STATUSES.map((status) => ({
          status,
          cases: list
            .filter((c) => c.status === status)
            .sort(
              (a, b) =>
                severityRank(a.severity) - severityRank(b.severity) ||
                b.updatedAt.localeCompare(a.updatedAt) ||
                NAME_ORDER.compare(a.id, b.id),
            )
            .map((c) => weeklyCase(c, comments.get(c.id), bases)),
        })).filter((group) => group.cases.length > 0),
      };
    }),
  };
}

/** comment: the entry, null when the case has none, undefined when it could not be read. */
function weeklyCase(
  c: SupportCase,
  comment: TimelineEntry | null | undefined,
  bases: UpstreamBases,
): WeeklyCase {
  return {
    id: c.id,
    source: c.source,
    key: c.key,
    url: c.url,
    title: c.title,
    severity: c.severity,
    assignee: c.assignee,
    updatedAt: c.updatedAt,
    links: c.links.map((l) => ({
      id: `${l.source}:${l.key}`,
      url: upstreamCaseUrl(bases, l.source, l.key),
    })),
    lastComment: comment ?? null,
    commentState: comment === undefined ? 'unavailable' : comment === null ? 'none' : 'found',
  };
}

/** Parses --since / ?since=: `7d` (days before now), `YYYY-MM-DD` (UTC midnight) or an ISO instant. */
export function parseSince(text: string, now: Date): Date | null {
  const value = text.trim();
  const days = /^(\d{1,4})d$/.exec(value);
  if (days) return new Date(now.getTime() - Number(days[1]) * 86_400_000);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = new Date(`${value}T00:00:00.000Z`);
    return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? null : date;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

export const SINCE_HELP = '7d (days before now), 2026-11-16 (UTC midnight) or an ISO instant';
