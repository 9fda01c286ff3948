/**
 * The sprint report as every renderer and the JSON output see it. JSON consumers: the shape is
 * versioned by `schemaVersion`; fields are only added within a version, never renamed or retyped.
 */
export const SPRINT_REPORT_SCHEMA_VERSION = 1;

export interface Tally {
  issues: number;
  /** Sum of story points (0 when the board estimates by issue count). */
  points: number;
}

export interface ReportPerson {
  /** accountId on Cloud, user name on Data Center. */
  id: string;
  name: string;
}

export interface SprintTotals {
  /** In the sprint when it started; points as estimated then. */
  committed: Tally;
  /** Entered after the start; points as estimated when they entered. */
  added: Tally;
  /** Left before the end (whether committed or added); points as estimated when they left. */
  removed: Tally;
  /** In the sprint and in the board's done column at the end; points at the end. */
  completed: Tally;
  /** In the sprint and not done at the end; points at the end. */
  carriedOver: Tally;
  /** Issues in the sprint at the end whose estimate changed since they entered, and the net change. */
  reestimated: Tally;
}

export interface AssigneeRow extends Omit<SprintTotals, 'reestimated'> {
  /** The assignee at the end of the sprint; null = unassigned. */
  assignee: ReportPerson | null;
}

export interface IssueRow {
  key: string;
  summary: string;
  type: string;
  /** Assignee and status at the end of the sprint (not now). */
  assignee: ReportPerson | null;
  status: string;
  /** Estimate when it entered the sprint (at the start for committed issues). */
  pointsAtEntry: number | null;
  /** Estimate at the end, or when it left for a removed issue. */
  pointsAtEnd: number | null;
  committed: boolean;
  added: boolean;
  removed: boolean;
  completed: boolean;
  carriedOver: boolean;
}

export interface SprintReport {
  schemaVersion: typeof SPRINT_REPORT_SCHEMA_VERSION;
  generatedAt: string;
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
  /** The instant figures are taken at: completeDate of a closed sprint, generatedAt of an active one. */
  endAt: string;
  /** The board's estimation field; null when it estimates by issue count. */
  estimation: { fieldId: string; name: string } | null;
  /** Status names of the board's right-most column, which defines done. */
  doneStatuses: string[];
  /** Sub-tasks are left out of every figure: the board estimates and moves their parents. */
  subtasksExcluded: number;
  totals: SprintTotals;
  /** completed ÷ committed (issues, points), 4 decimals; null when nothing was committed. */
  completionRatio: { issues: number | null; points: number | null };
  /** One row per assignee at sprint end, by name, unassigned last; rows add up to the totals. */
  assignees: AssigneeRow[];
  /** The carried-over issues, with their status at the end. */
  carriedOver: IssueRow[];
  /** Every non-sub-task issue that was in the sprint at some point, by key. */
  issues: IssueRow[];
}
