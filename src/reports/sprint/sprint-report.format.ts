import type { ReportPerson, SprintReport, SprintTotals, Tally } from './sprint-report.model.js';

/** The figures every renderer shows, in this order, with the words it uses for them. */
const CATEGORIES = [
  ['committed', 'Committed'],
  ['added', 'Added'],
  ['removed', 'Removed'],
  ['completed', 'Completed'],
  ['carriedOver', 'Carried over'],
] as const satisfies readonly (readonly [keyof SprintTotals, string])[];

type Category = keyof Omit<SprintTotals, 'reestimated'>;

/** The per-assignee columns; an active sprint has nothing carried over yet, only not done. */
export function categories(report: SprintReport): (readonly [Category, string])[] {
  return CATEGORIES.map(([key, label]) =>
    key === 'carriedOver' && report.sprint.state === 'active'
      ? ([key, 'Not done yet'] as const)
      : ([key, label] as const),
  );
}

/** Headings: what the carried-over list and the assignee table are called for this sprint. */
export function headings(report: SprintReport): { carriedOver: string; perAssignee: string } {
  const active = report.sprint.state === 'active';
  return {
    carriedOver: active ? 'Not done yet' : 'Carried over',
    perAssignee: active ? 'Per assignee (now)' : 'Per assignee (at sprint end)',
  };
}

/** The summary table's rows: the categories plus re-estimation. */
export function summaryRows(report: SprintReport): (readonly [keyof SprintTotals, string])[] {
  return [...categories(report), ['reestimated', 'Re-estimated'] as const];
}

export const points = (n: number | null): string => (n === null ? '' : String(n));

export const tallyText = (t: Tally, estimated: boolean): string =>
  estimated ? `${t.issues} (${t.points} pt)` : String(t.issues);

export const percent = (ratio: number | null): string =>
  ratio === null ? 'n/a' : `${Math.round(ratio * 100)}%`;

export const who = (person: ReportPerson | null): string => person?.name ?? '(unassigned)';

/** `2026-11-02 09:00 UTC`: reports are mailed across time zones, so they say UTC. */
export const when = (iso: string | null): string =>
  iso === null ? '' : new Date(iso).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

export function period(report: SprintReport): string {
  const { sprint } = report;
  return sprint.state === 'closed'
    ? `${when(sprint.startDate)} → ${when(sprint.completeDate)} (closed)`
    : `${when(sprint.startDate)} → ${when(sprint.endDate)} (active; figures as of ${when(report.endAt)})`;
}

export function notes(report: SprintReport): string[] {
  const lines = [
    `Done means the board's last column (${report.doneStatuses.join(', ') || 'none'}); assignee, status and estimate are as at ${when(report.endAt)}.`,
    report.estimation
      ? `Points are the board's estimation field, ${report.estimation.name} (${report.estimation.fieldId}).`
      : 'The board estimates by issue count: no points.',
  ];
  if (report.subtasksExcluded > 0) {
    lines.push(
      `${report.subtasksExcluded} sub-task(s) left out: they move with their parent, which carries the estimate.`,
    );
  }
  return lines;
}
