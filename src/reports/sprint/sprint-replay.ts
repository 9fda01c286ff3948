import {
  SPRINT_REPORT_SCHEMA_VERSION,
  type AssigneeRow,
  type IssueRow,
  type ReportPerson,
  type SprintReport,
  type Tally,
} from './sprint-report.model.js';

/** One changelog item, as JIRA sends it (ids in from/to, labels in fromString/toString). */
export interface ReplayItem {
  field: string;
  fieldId?: string | null;
  from?: string | null;
  fromString?: string | null;
  to?: string | null;
  toString?: string | null;
}

export interface ReplayIssue {
  key: string;
  summary: string;
  type: string;
  subtask: boolean;
  createdAt: number;
  /** Values now; the changelog is replayed backwards from them. */
  status: { id: string; name: string };
  assignee: ReportPerson | null;
  points: number | null;
  /** Oldest first. */
  histories: { at: number; items: ReplayItem[] }[];
}

export interface ReplayInput {
  board: { id: number; name: string };
  sprint: {
    id: number;
    name: string;
    state: 'active' | 'closed';
    goal: string | null;
    startDate: string;
    endDate: string | null;
    completeDate: string | null;
  };
  /** Instants (ms). */
  startAt: number;
  endAt: number;
  generatedAt: string;
  estimation: { fieldId: string; name: string } | null;
  doneStatuses: { id: string; name: string }[];
  issues: ReplayIssue[];
}

interface Change {
  at: number;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

/** The value of one field at an instant: the `from` of the first later change, else now's. */
class FieldTimeline {
  constructor(private readonly changes: Change[]) {}

  static of(issue: ReplayIssue, matches: (item: ReplayItem) => boolean): FieldTimeline {
    const changes = issue.histories
      .flatMap((h) =>
        h.items.filter(matches).map((i) => ({
          at: h.at,
          from: i.from ?? null,
          fromString: i.fromString ?? null,
          to: i.to ?? null,
          toString: i.toString ?? null,
        })),
      )
      .sort((a, b) => a.at - b.at);
    return new FieldTimeline(changes);
  }

  /** Changes stamped at or before `at` have happened by then. */
  at(at: number): Change | undefined {
    return this.changes.find((c) => c.at > at);
  }

  get last(): Change | undefined {
    return this.changes.at(-1);
  }

  /** Instants in (after, until] at which the value changed. */
  instants(after: number, until: number): number[] {
    return this.changes.filter((c) => c.at > after && c.at <= until).map((c) => c.at);
  }
}

const sprintIds = (value: string | null): Set<string> =>
  new Set((value ?? '').split(/[,\s]+/).filter((id) => id !== ''));

function parsePoints(change: Change, side: 'from' | 'to'): number | null {
  const raw = side === 'from' ? (change.fromString ?? change.from) : (change.toString ?? change.to);
  if (raw === null || raw.trim() === '') return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const ratio = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 4));
const keyOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
const tally = (): Tally => ({ issues: 0, points: 0 });
const count = (t: Tally, points: number | null) => {
  t.issues += 1;
  t.points = round(t.points + (points ?? 0), 2);
};

/** One issue's story in the sprint, replayed from its changelog. */
function replayIssue(issue: ReplayInput['issues'][number], input: ReplayInput): IssueRow {
  const { startAt, endAt, sprint, estimation } = input;
  const id = String(sprint.id);
  const sprints = FieldTimeline.of(issue, (i) => i.field.toLowerCase() === 'sprint');
  const statuses = FieldTimeline.of(issue, (i) => i.field.toLowerCase() === 'status');
  const assignees = FieldTimeline.of(issue, (i) => i.field.toLowerCase() === 'assignee');
  const estimates = estimation
    ? FieldTimeline.of(issue, (i) =>
        i.fieldId ? i.fieldId === estimation.fieldId : i.field === estimation.name,
      )
    : new FieldTimeline([]);

  const inSprint = (at: number): boolean => {
    if (at < issue.createdAt) return false;
    const next = sprints.at(at);
    if (next) return sprintIds(next.from).has(id);
    // No later change: the search found it in the sprint, so it is there unless the last move
    // took it out (an issue created in a sprint has no Sprint change at all).
    const last = sprints.last;
    return last ? sprintIds(last.to).has(id) : true;
  };
  const pointsAt = (at: number): number | null => {
    if (!estimation) return null;
    const next = estimates.at(at);
    return next ? parsePoints(next, 'from') : issue.points;
  };
  const statusAt = (at: number) => {
    const next = statuses.at(at);
    return next ? { id: next.from ?? '', name: next.fromString ?? '' } : issue.status;
  };
  const assigneeAt = (at: number): ReportPerson | null => {
    const next = assignees.at(at);
    if (!next) return issue.assignee;
    return next.from ? { id: next.from, name: next.fromString ?? next.from } : null;
  };

  const committed = inSprint(startAt);
  const moments = [...sprints.instants(startAt, endAt)];
  if (issue.createdAt > startAt && issue.createdAt <= endAt) moments.push(issue.createdAt);
  moments.sort((a, b) => a - b);
  const entered = committed ? undefined : moments.find((m) => inSprint(m));
  const inAtEnd = inSprint(endAt);
  const leftAt = inAtEnd
    ? undefined
    : moments.filter((m) => !inSprint(m) && (committed || (entered ?? Infinity) < m)).at(-1);
  const done = new Set(input.doneStatuses.map((s) => s.id));
  const completed = inAtEnd && done.has(statusAt(endAt).id);
  const entryAt = committed ? startAt : (entered ?? endAt);
  return {
    key: issue.key,
    summary: issue.summary,
    type: issue.type,
    assignee: assigneeAt(endAt),
    status: statusAt(endAt).name,
    pointsAtEntry: pointsAt(entryAt),
    pointsAtEnd: pointsAt(inAtEnd || leftAt === undefined ? endAt : leftAt),
    committed,
    added: entered !== undefined,
    removed: leftAt !== undefined,
    completed,
    carriedOver: inAtEnd && !completed,
  };
}

/**
 * The sprint report from what the documented APIs give (upstream-apis.md §2.8): each issue's
 * Sprint, status, estimate and assignee are replayed to the sprint's start and end. Pure.
 */
export function replaySprint(input: ReplayInput): SprintReport {
  const subtasks = input.issues.filter((i) => i.subtask);
  const rows = input.issues
    .filter((i) => !i.subtask)
    .map((issue) => replayIssue(issue, input))
    .filter((r) => r.committed || r.added)
    .sort((a, b) => keyOrder(a.key, b.key));

  const totals = {
    committed: tally(),
    added: tally(),
    removed: tally(),
    completed: tally(),
    carriedOver: tally(),
    reestimated: tally(),
  };
  const byAssignee = new Map<string, AssigneeRow>();
  for (const r of rows) {
    const slot = r.assignee?.id ?? '';
    let row = byAssignee.get(slot);
    if (!row) {
      row = {
        assignee: r.assignee,
        committed: tally(),
        added: tally(),
        removed: tally(),
        completed: tally(),
        carriedOver: tally(),
      };
      byAssignee.set(slot, row);
    }
    for (const target of [totals, row]) {
      if (r.committed) count(target.committed, r.pointsAtEntry);
      if (r.added) count(target.added, r.pointsAtEntry);
      // pointsAtEnd of a removed issue is its estimate when it left.
      if (r.removed) count(target.removed, r.pointsAtEnd);
      if (r.completed) count(target.completed, r.pointsAtEnd);
      if (r.carriedOver) count(target.carriedOver, r.pointsAtEnd);
    }
    const delta = (r.pointsAtEnd ?? 0) - (r.pointsAtEntry ?? 0);
    if (!r.removed && delta !== 0) {
      totals.reestimated.issues += 1;
      totals.reestimated.points = round(totals.reestimated.points + delta, 2);
    }
  }
  const assignees = [...byAssignee.values()].sort((a, b) => {
    if (!a.assignee || !b.assignee) return a.assignee ? -1 : b.assignee ? 1 : 0;
    return a.assignee.name.localeCompare(b.assignee.name, 'en');
  });

  return {
    schemaVersion: SPRINT_REPORT_SCHEMA_VERSION,
    generatedAt: input.generatedAt,
    board: input.board,
    sprint: input.sprint,
    endAt: new Date(input.endAt).toISOString(),
    estimation: input.estimation,
    doneStatuses: input.doneStatuses.map((s) => s.name),
    subtasksExcluded: subtasks.length,
    totals,
    completionRatio: {
      issues: ratio(totals.completed.issues, totals.committed.issues),
      points: ratio(totals.completed.points, totals.committed.points),
    },
    assignees,
    carriedOver: rows.filter((r) => r.carriedOver),
    issues: rows,
  };
}
