import { parseOffsetTimestamp } from '../../common/time.js';
import type {
  AgileSprint,
  BoardConfiguration,
  ChangeHistory,
  SprintIssue,
} from './agile.schemas.js';
import type { JiraAgileClient } from './jira-agile.client.js';
import { SprintNotFoundError } from './sprint-report.errors.js';
import type { SprintReport } from './sprint-report.model.js';
import { replaySprint, type ReplayIssue } from './sprint-replay.js';

/** Which sprint of the board: by id, the active one, or the one closed last. */
export type SprintSelector =
  { kind: 'id'; id: number } | { kind: 'active' } | { kind: 'last-closed' };

/** `42`, `active` or `last-closed` (the CLI flags and the page's `sprint` parameter). */
export function parseSprintSelector(text: string): SprintSelector | undefined {
  if (text === 'active' || text === 'last-closed') return { kind: text };
  return /^\d{1,12}$/.test(text) ? { kind: 'id', id: Number(text) } : undefined;
}

export interface BuildProgress {
  phase: 'sprint' | 'issues' | 'changelogs';
  done: number;
  total: number;
}

const instant = (value: string, what: string): number => {
  const at = parseOffsetTimestamp(value)?.getTime() ?? Date.parse(value);
  if (Number.isNaN(at)) throw new Error(`JIRA sent an unreadable ${what}: ${value}`);
  return at;
};

/** Fetches what a sprint report needs from JIRA and replays it (upstream-apis.md §2.8). */
export class SprintReportBuilder {
  constructor(
    private readonly client: JiraAgileClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async build(
    boardId: number,
    selector: SprintSelector,
    options: { onProgress?: (p: BuildProgress) => void; signal?: AbortSignal } = {},
  ): Promise<SprintReport> {
    const { onProgress, signal } = options;
    onProgress?.({ phase: 'sprint', done: 0, total: 1 });
    const [board, configuration] = await Promise.all([
      this.client.board(boardId, signal),
      this.client.configuration(boardId, signal),
    ]);
    if (board.type !== 'scrum') {
      throw new SprintNotFoundError(
        `board ${boardId} (${board.name}) is a ${board.type} board: it has no sprints`,
      );
    }
    const sprint = await this.pickSprint(boardId, selector, signal);
    if (sprint.state === 'future' || !sprint.startDate) {
      throw new SprintNotFoundError(`sprint ${sprint.id} (${sprint.name}) has not started yet`);
    }
    onProgress?.({ phase: 'sprint', done: 1, total: 1 });

    const estimation =
      configuration.estimation?.type === 'field' && configuration.estimation.field
        ? {
            fieldId: configuration.estimation.field.fieldId,
            name:
              configuration.estimation.field.displayName ?? configuration.estimation.field.fieldId,
          }
        : null;
    onProgress?.({ phase: 'issues', done: 0, total: 1 });
    const issues = await this.client.sprintIssues(sprint.id, estimation?.fieldId, signal);
    onProgress?.({ phase: 'issues', done: 1, total: 1 });

    let fetched = 0;
    onProgress?.({ phase: 'changelogs', done: 0, total: issues.length });
    // The HTTP client's bulkhead bounds how many of these run at once.
    const histories = await Promise.all(
      issues.map(async (issue) => {
        const changelog = await this.client.changelog(issue.key, signal);
        onProgress?.({ phase: 'changelogs', done: ++fetched, total: issues.length });
        return changelog;
      }),
    );

    const generatedAt = this.now();
    const closed = sprint.state === 'closed' && sprint.completeDate;
    return replaySprint({
      board: { id: board.id, name: board.name },
      sprint: {
        id: sprint.id,
        name: sprint.name,
        state: sprint.state === 'closed' ? 'closed' : 'active',
        goal: sprint.goal || null,
        startDate: sprint.startDate,
        endDate: sprint.endDate ?? null,
        completeDate: sprint.completeDate ?? null,
      },
      startAt: instant(sprint.startDate, 'sprint start'),
      endAt: closed ? instant(closed, 'sprint completion') : generatedAt.getTime(),
      generatedAt: generatedAt.toISOString(),
      estimation,
      doneStatuses: this.doneStatuses(configuration, issues, histories),
      issues: issues.map((issue, i) => this.replayIssue(issue, histories[i], estimation?.fieldId)),
    });
  }

  private async pickSprint(
    boardId: number,
    selector: SprintSelector,
    signal?: AbortSignal,
  ): Promise<AgileSprint> {
    switch (selector.kind) {
      case 'id':
        return this.client.sprint(selector.id, signal);
      case 'active': {
        const active = await this.client.sprints(boardId, 'active', signal);
        if (active.length === 0)
          throw new SprintNotFoundError(`board ${boardId} has no active sprint`);
        return active[0];
      }
      case 'last-closed': {
        const closed = await this.client.sprints(boardId, 'closed', signal);
        const last = closed
          .filter((s) => s.completeDate)
          .sort(
            (a, b) =>
              instant(a.completeDate!, 'completeDate') - instant(b.completeDate!, 'completeDate'),
          )
          .at(-1);
        if (!last) throw new SprintNotFoundError(`board ${boardId} has no closed sprint`);
        return last;
      }
    }
  }

  /**
   * Done = the board's right-most column (what JIRA's own report uses). Names come from what the
   * issues and changelogs show, since the configuration only lists status ids.
   */
  private doneStatuses(
    configuration: BoardConfiguration,
    issues: SprintIssue[],
    histories: ChangeHistory[][],
  ): { id: string; name: string }[] {
    const names = new Map<string, string>();
    for (const issue of issues) names.set(issue.fields.status.id, issue.fields.status.name);
    for (const item of histories.flat().flatMap((h) => h.items)) {
      if (item.field.toLowerCase() !== 'status') continue;
      if (item.from && item.fromString) names.set(item.from, item.fromString);
      if (item.to && item.toString) names.set(item.to, item.toString);
    }
    const last = configuration.columnConfig?.columns.at(-1);
    if (last) return last.statuses.map((s) => ({ id: s.id, name: names.get(s.id) ?? s.id }));
    // No column configuration visible: fall back to the done status category.
    return issues
      .filter((i) => i.fields.status.statusCategory?.key === 'done')
      .map((i) => ({ id: i.fields.status.id, name: i.fields.status.name }))
      .filter((s, i, all) => all.findIndex((x) => x.id === s.id) === i);
  }

  private replayIssue(
    issue: SprintIssue,
    histories: ChangeHistory[],
    estimationField: string | undefined,
  ): ReplayIssue {
    const f = issue.fields;
    const raw = estimationField ? f[estimationField] : undefined;
    const assignee = f.assignee
      ? {
          id: f.assignee.accountId ?? f.assignee.name ?? f.assignee.key ?? '',
          name: f.assignee.displayName ?? f.assignee.name ?? f.assignee.accountId ?? '',
        }
      : null;
    return {
      key: issue.key,
      summary: f.summary ?? '',
      type: f.issuetype?.name ?? '',
      // Only the type says so: `parent` is also an epic in team-managed projects.
      subtask: f.issuetype?.subtask === true,
      createdAt: instant(f.created, `created of ${issue.key}`),
      status: { id: f.status.id, name: f.status.name },
      assignee,
      points: typeof raw === 'number' ? raw : null,
      histories: histories
        .map((h) => ({ at: instant(h.created, `changelog of ${issue.key}`), items: h.items }))
        .sort((a, b) => a.at - b.at),
    };
  }
}
