import { json, type Reply, type SimRequest } from './http-util.js';
import {
  decodePageToken,
  encodePageToken,
  JiraError,
  numberParam,
  type SearchRequest,
} from './jira.requests.js';
import { TimeZone } from './time-zone.js';

/*
 * JIRA Software's Agile 1.0 endpoints and the changelogs a sprint report replays, over a small
 * hand-made board. Every case a sprint report must get right happens in sprint 71 ("Sprint 2",
 * 2026-11-02 09:00 → completed 2026-11-13 16:00 UTC); the expected figures are worked out by
 * hand in test/integration/sprint-report.spec.ts.
 */

type Flavor = 'cloud' | 'datacenter';

interface AgileUser {
  login: string;
  accountId: string;
  displayName: string;
}

const USERS = {
  ana: { login: 'ana', accountId: '712020:ana-lima', displayName: 'Ana Lima' },
  ben: { login: 'ben', accountId: '712020:ben-okafor', displayName: 'Ben Okafor' },
  cy: { login: 'cy', accountId: '712020:cy-dubois', displayName: 'Cy Dubois' },
} satisfies Record<string, AgileUser>;
type UserName = keyof typeof USERS;

const STATUSES = {
  Open: { id: '1', category: 'new' },
  'In Progress': { id: '3', category: 'indeterminate' },
  'In Review': { id: '10003', category: 'indeterminate' },
  Resolved: { id: '5', category: 'done' },
  Done: { id: '10001', category: 'done' },
} as const;
type StatusName = keyof typeof STATUSES;

type Change =
  | { field: 'Sprint'; from: string; to: string }
  | { field: 'status'; from: StatusName; to: StatusName }
  | { field: 'points'; from: number | null; to: number | null }
  | { field: 'assignee'; from: UserName | null; to: UserName | null };

interface AgileIssue {
  id: number;
  key: string;
  summary: string;
  subtaskOf?: string;
  created: string;
  /** Sprint ids the issue was created in (no changelog entry records that). */
  createdInSprint?: string;
  /** Values now. */
  status: StatusName;
  points: number | null;
  assignee: UserName | null;
  history: { at: string; change: Change }[];
}

const SPRINT_MOVE_AT_COMPLETION = '2026-11-13T16:00:05.000Z';

const ISSUES: AgileIssue[] = [
  {
    id: 20001,
    key: 'SPR-1',
    summary: 'Export to CSV times out',
    created: '2026-10-20T08:00:00.000Z',
    status: 'Done',
    points: 5,
    assignee: 'ana',
    history: [
      { at: '2026-10-20T10:00:00.000Z', change: { field: 'Sprint', from: '', to: '70' } },
      // carried over from sprint 70 at its completion
      { at: '2026-10-30T16:00:05.000Z', change: { field: 'Sprint', from: '70', to: '70, 71' } },
      {
        at: '2026-11-10T12:00:00.000Z',
        change: { field: 'status', from: 'In Progress', to: 'Done' },
      },
    ],
  },
  {
    id: 20002,
    key: 'SPR-2',
    summary: 'SSO login loop for Globex',
    created: '2026-10-28T08:00:00.000Z',
    status: 'In Progress',
    points: 3,
    assignee: 'ana',
    history: [
      { at: '2026-10-29T10:00:00.000Z', change: { field: 'Sprint', from: '', to: '71' } },
      { at: SPRINT_MOVE_AT_COMPLETION, change: { field: 'Sprint', from: '71', to: '71, 72' } },
      // reassigned after the sprint: the report keeps Ben
      { at: '2026-11-18T09:00:00.000Z', change: { field: 'assignee', from: 'ben', to: 'ana' } },
    ],
  },
  {
    id: 20003,
    key: 'SPR-3',
    summary: 'Dark mode for <reports> & "charts"',
    created: '2026-10-25T08:00:00.000Z',
    status: 'Done',
    points: 5,
    assignee: 'cy',
    history: [
      { at: '2026-10-30T10:00:00.000Z', change: { field: 'Sprint', from: '', to: '71' } },
      { at: '2026-11-05T10:00:00.000Z', change: { field: 'points', from: 2, to: 5 } },
      { at: '2026-11-06T10:00:00.000Z', change: { field: 'assignee', from: 'ben', to: 'cy' } },
      {
        at: '2026-11-12T15:00:00.000Z',
        change: { field: 'status', from: 'In Progress', to: 'Done' },
      },
    ],
  },
  {
    id: 20004,
    key: 'SPR-4',
    summary: 'Rate limit alerts',
    created: '2026-10-25T09:00:00.000Z',
    status: 'Done',
    points: 8,
    assignee: 'cy',
    history: [
      { at: '2026-11-04T10:00:00.000Z', change: { field: 'Sprint', from: '', to: '71' } },
      {
        at: '2026-11-11T10:00:00.000Z',
        change: { field: 'status', from: 'In Progress', to: 'Done' },
      },
    ],
  },
  {
    id: 20005,
    key: 'SPR-5',
    summary: 'Audit log retention',
    created: '2026-10-26T08:00:00.000Z',
    status: 'Open',
    points: 5,
    assignee: 'ana',
    history: [
      { at: '2026-10-31T10:00:00.000Z', change: { field: 'Sprint', from: '', to: '71' } },
      { at: '2026-11-06T10:00:00.000Z', change: { field: 'Sprint', from: '71', to: '' } },
    ],
  },
  {
    id: 20006,
    key: 'SPR-6',
    summary: 'Customer export | stalls at 99%',
    created: '2026-11-09T09:00:00.000Z',
    createdInSprint: '71',
    status: 'Open',
    points: 1,
    assignee: null,
    history: [
      { at: SPRINT_MOVE_AT_COMPLETION, change: { field: 'Sprint', from: '71', to: '71, 72' } },
    ],
  },
  {
    id: 20007,
    key: 'SPR-7',
    summary: 'Webhook retries',
    created: '2026-10-27T08:00:00.000Z',
    status: 'In Progress',
    points: 3,
    assignee: 'ana',
    history: [
      { at: '2026-11-05T10:00:00.000Z', change: { field: 'Sprint', from: '', to: '71' } },
      { at: '2026-11-08T10:00:00.000Z', change: { field: 'Sprint', from: '71', to: '72' } },
    ],
  },
  {
    id: 20008,
    key: 'SPR-8',
    summary: 'Attachment <img src=x onerror=alert(1)> previews & "thumbs"',
    created: '2026-10-26T09:00:00.000Z',
    status: 'Resolved',
    points: 3,
    assignee: 'ben',
    history: [
      { at: '2026-10-30T10:00:00.000Z', change: { field: 'Sprint', from: '', to: '71' } },
      {
        at: '2026-11-12T10:00:00.000Z',
        change: { field: 'status', from: 'In Progress', to: 'Resolved' },
      },
      { at: SPRINT_MOVE_AT_COMPLETION, change: { field: 'Sprint', from: '71', to: '71, 72' } },
    ],
  },
  {
    id: 20009,
    key: 'SPR-9',
    summary: 'Dark mode: chart palette',
    subtaskOf: 'SPR-3',
    created: '2026-10-30T09:00:00.000Z',
    status: 'Done',
    points: 2,
    assignee: 'cy',
    history: [
      { at: '2026-10-30T10:00:00.000Z', change: { field: 'Sprint', from: '', to: '71' } },
      {
        at: '2026-11-12T14:00:00.000Z',
        change: { field: 'status', from: 'In Progress', to: 'Done' },
      },
    ],
  },
  {
    id: 20010,
    key: 'SPR-10',
    summary: 'Slow case search',
    created: '2026-10-26T10:00:00.000Z',
    status: 'In Progress',
    points: 2,
    assignee: 'cy',
    history: [
      { at: '2026-10-30T10:00:00.000Z', change: { field: 'Sprint', from: '', to: '71' } },
      {
        at: '2026-11-12T10:00:00.000Z',
        change: { field: 'status', from: 'In Progress', to: 'Done' },
      },
      // reopened after the sprint: the report still counts it completed
      {
        at: '2026-11-20T10:00:00.000Z',
        change: { field: 'status', from: 'Done', to: 'In Progress' },
      },
    ],
  },
  {
    id: 20011,
    key: 'SPR-11',
    summary: 'Time zone on the SLA page',
    created: '2026-10-26T11:00:00.000Z',
    status: 'Done',
    points: 2,
    assignee: 'ana',
    history: [
      { at: '2026-10-30T10:00:00.000Z', change: { field: 'Sprint', from: '', to: '71' } },
      { at: '2026-11-03T10:00:00.000Z', change: { field: 'points', from: null, to: 2 } },
      {
        at: '2026-11-09T10:00:00.000Z',
        change: { field: 'status', from: 'In Progress', to: 'Done' },
      },
    ],
  },
];

interface Sprint {
  id: number;
  name: string;
  state: 'future' | 'active' | 'closed';
  startDate?: string;
  endDate?: string;
  completeDate?: string;
  boardId: number;
  goal: string;
}

const SPRINTS: Sprint[] = [
  {
    id: 69,
    name: 'Sprint 0',
    state: 'closed',
    startDate: '2026-10-05T09:00:00.000Z',
    endDate: '2026-10-16T17:00:00.000Z',
    completeDate: '2026-10-16T15:00:00.000Z',
    boardId: 7,
    goal: '',
  },
  {
    id: 70,
    name: 'Sprint 1',
    state: 'closed',
    startDate: '2026-10-19T09:00:00.000Z',
    endDate: '2026-10-30T17:00:00.000Z',
    completeDate: '2026-10-30T16:00:00.000Z',
    boardId: 7,
    goal: 'Exports',
  },
  {
    id: 71,
    name: 'Sprint 2',
    state: 'closed',
    startDate: '2026-11-02T09:00:00.000Z',
    endDate: '2026-11-13T17:00:00.000Z',
    completeDate: '2026-11-13T16:00:00.000Z',
    boardId: 7,
    goal: 'SSO & reports',
  },
  {
    id: 72,
    name: 'Sprint 3',
    state: 'active',
    startDate: '2026-11-16T09:00:00.000Z',
    endDate: '2026-11-27T17:00:00.000Z',
    boardId: 7,
    goal: 'Carry-over first',
  },
  { id: 73, name: 'Sprint 4', state: 'future', boardId: 7, goal: '' },
  { id: 90, name: 'Pilot 1', state: 'future', boardId: 9, goal: '' },
];

const BOARDS = [
  { id: 7, name: 'Support squad', type: 'scrum', projectKey: 'SPR' },
  { id: 8, name: 'Ops flow', type: 'kanban', projectKey: 'OPS' },
  { id: 9, name: 'Pilot team', type: 'scrum', projectKey: 'SPR' },
];

/** Small pages, so clients must follow the paging. */
const SPRINT_PAGE_CAP = 2;
const CHANGELOG_PAGE_CAP = 2;
const UTC = new TimeZone('UTC');

const jiraTime = (iso: string) => UTC.formatJira(Date.parse(iso));
const sprintIdsOf = (value: string) => value.split(/[,\s]+/).filter((v) => v !== '');

export class JiraAgile {
  /** Custom field ids differ per instance; these are the usual ones of each flavour. */
  readonly pointsField: { id: string; name: string };
  readonly sprintFieldId = 'customfield_10020';

  constructor(
    private readonly flavor: Flavor,
    private readonly base: () => string,
  ) {
    this.pointsField =
      flavor === 'cloud'
        ? { id: 'customfield_10016', name: 'Story point estimate' }
        : { id: 'customfield_10002', name: 'Story Points' };
  }

  issue(key: string): AgileIssue | undefined {
    return ISSUES.find((i) => i.key === key.toUpperCase() || String(i.id) === key);
  }

  /** `sprint = N` (how a sprint report finds every issue that was ever in the sprint). */
  sprintOfJql(jql: string): number | undefined {
    const m = /^\s*sprint\s*(?:=\s*(\d+)|in\s*\(\s*(\d+)\s*\))\s*(?:order\s+by\s+.*)?$/i.exec(jql);
    return m ? Number(m[1] ?? m[2]) : undefined;
  }

  /** Serves a sprint search in the flavour's paging (Cloud tokens, DC startAt/total). */
  search(sprintId: number, search: SearchRequest, apiVersion: '2' | '3'): Reply {
    const matched = ISSUES.filter((i) => this.everIn(i, String(sprintId)));
    const render = (i: AgileIssue) => this.renderIssue(i, search.fields, apiVersion);
    if (this.flavor === 'cloud') {
      const offset =
        search.nextPageToken === undefined ? 0 : decodePageToken(search.nextPageToken, search.jql);
      const page = matched.slice(offset, offset + Math.min(search.maxResults ?? 50, 100));
      const end = offset + page.length;
      const isLast = end >= matched.length;
      return json(200, {
        issues: page.map(render),
        ...(isLast ? {} : { nextPageToken: encodePageToken(end, search.jql) }),
        isLast,
      });
    }
    const startAt = Math.max(0, search.startAt ?? 0);
    const maxResults = Math.min(search.maxResults ?? 50, 50);
    return json(200, {
      expand: 'schema,names',
      startAt,
      maxResults,
      total: matched.length,
      issues: matched.slice(startAt, startAt + maxResults).map(render),
    });
  }

  /** `/issue/{key}/changelog` (Cloud) and `/issue/{key}?expand=changelog` (both). */
  issueReply(issue: AgileIssue, req: SimRequest, sub: string | undefined, api: '2' | '3'): Reply {
    const histories = issue.history.map((h, n) => this.renderHistory(issue, h, n));
    if (sub === '/changelog') {
      if (this.flavor === 'datacenter') throw new JiraError(404, ['null for uri']);
      const startAt = Math.max(0, numberParam(req.query.get('startAt')) || 0);
      const maxResults = Math.min(
        Math.max(1, numberParam(req.query.get('maxResults')) || 100),
        CHANGELOG_PAGE_CAP,
      );
      const values = histories.slice(startAt, startAt + maxResults);
      const isLast = startAt + values.length >= histories.length;
      const self = `${this.base()}/rest/api/${api}/issue/${issue.key}/changelog`;
      return json(200, {
        self: `${self}?startAt=${startAt}&maxResults=${maxResults}`,
        ...(isLast
          ? {}
          : {
              nextPage: `${self}?startAt=${startAt + values.length}&maxResults=${maxResults}`,
            }),
        maxResults,
        startAt,
        total: histories.length,
        isLast,
        values,
      });
    }
    if (sub)
      throw new JiraError(404, ['Issue does not exist or you do not have permission to see it.']);
    const fields = req.query.getAll('fields').flatMap((f) => f.split(','));
    const expand = (req.query.get('expand') ?? '').split(',');
    return json(200, {
      ...this.renderIssue(issue, fields.length > 0 ? fields : undefined, api),
      ...(expand.includes('changelog')
        ? {
            changelog: {
              startAt: 0,
              maxResults: histories.length,
              total: histories.length,
              histories,
            },
          }
        : {}),
    });
  }

  /** `/rest/agile/1.0/...` */
  route(req: SimRequest, rest: string, apiVersion: '2' | '3'): Reply {
    if (req.method !== 'GET') throw new JiraError(405, ['Method Not Allowed']);
    const parts = rest.split('/').filter(Boolean);
    const id = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : NaN);
    if (parts[0] === 'board') {
      if (parts.length === 1) {
        const type = req.query.get('type');
        const boards = BOARDS.filter((b) => !type || type.split(',').includes(b.type));
        return this.page(
          req,
          boards.map((b) => this.renderBoard(b)),
          50,
        );
      }
      const board = BOARDS.find((b) => b.id === id(parts[1]));
      if (!board) {
        throw new JiraError(404, ['Board does not exist or you do not have permission to see it.']);
      }
      if (parts.length === 2) return json(200, this.renderBoard(board));
      if (parts[2] === 'configuration' && parts.length === 3) {
        return json(200, this.configuration(board));
      }
      if (parts[2] === 'sprint') {
        if (board.type !== 'scrum')
          throw new JiraError(400, ['The board does not support sprints']);
        if (parts.length === 3) {
          const states = (req.query.get('state') ?? '').split(',').filter(Boolean);
          const sprints = SPRINTS.filter(
            (s) => s.boardId === board.id && (states.length === 0 || states.includes(s.state)),
          );
          return this.page(
            req,
            sprints.map((s) => this.renderSprint(s)),
            SPRINT_PAGE_CAP,
          );
        }
        if (parts.length === 5 && parts[4] === 'issue') {
          return this.sprintIssues(req, id(parts[3]), apiVersion);
        }
      }
    }
    if (parts[0] === 'sprint' && parts.length >= 2) {
      const sprint = SPRINTS.find((s) => s.id === id(parts[1]));
      if (!sprint)
        throw new JiraError(404, [
          'Sprint does not exist or you do not have permission to see it.',
        ]);
      if (parts.length === 2) return json(200, this.renderSprint(sprint));
      if (parts.length === 3 && parts[2] === 'issue') {
        return this.sprintIssues(req, sprint.id, apiVersion);
      }
    }
    return json(404, { message: `null for uri: ${this.base()}${req.path}`, 'status-code': 404 });
  }

  /** Agile `…/sprint/{id}/issue`: only the issues in the sprint now, ordered by rank (here key). */
  private sprintIssues(req: SimRequest, sprintId: number, api: '2' | '3'): Reply {
    const sprint = SPRINTS.find((s) => s.id === sprintId);
    if (!sprint)
      throw new JiraError(404, ['Sprint does not exist or you do not have permission to see it.']);
    const now = ISSUES.filter((i) => this.currentSprints(i).includes(String(sprintId)));
    const startAt = Math.max(0, numberParam(req.query.get('startAt')) || 0);
    const maxResults = Math.min(Math.max(1, numberParam(req.query.get('maxResults')) || 50), 50);
    const fields = req.query.getAll('fields').flatMap((f) => f.split(','));
    return json(200, {
      expand: 'schema,names',
      startAt,
      maxResults,
      total: now.length,
      issues: now
        .slice(startAt, startAt + maxResults)
        .map((i) => this.renderIssue(i, fields.length > 0 ? fields : undefined, api)),
    });
  }

  private page(req: SimRequest, values: object[], cap: number): Reply {
    const startAt = Math.max(0, numberParam(req.query.get('startAt')) || 0);
    const maxResults = Math.min(Math.max(1, numberParam(req.query.get('maxResults')) || 50), cap);
    const slice = values.slice(startAt, startAt + maxResults);
    return json(200, {
      maxResults,
      startAt,
      total: values.length,
      isLast: startAt + slice.length >= values.length,
      values: slice,
    });
  }

  private renderBoard(board: (typeof BOARDS)[number]): object {
    return {
      id: board.id,
      self: `${this.base()}/rest/agile/1.0/board/${board.id}`,
      name: board.name,
      type: board.type,
      location: { projectKey: board.projectKey, displayName: board.projectKey },
    };
  }

  private configuration(board: (typeof BOARDS)[number]): object {
    const status = (name: StatusName) => ({
      id: STATUSES[name].id,
      self: `${this.base()}/rest/api/2/status/${STATUSES[name].id}`,
    });
    return {
      id: board.id,
      name: board.name,
      type: board.type,
      self: `${this.base()}/rest/agile/1.0/board/${board.id}/configuration`,
      location: { type: 'project', key: board.projectKey },
      filter: { id: String(10000 + board.id) },
      columnConfig: {
        columns: [
          { name: 'To Do', statuses: [status('Open')] },
          { name: 'In Progress', statuses: [status('In Progress')] },
          // Resolved is a done-category status, but this board keeps it short of its last column.
          { name: 'Review', statuses: [status('In Review'), status('Resolved')] },
          { name: 'Done', statuses: [status('Done')] },
        ],
        constraintType: 'issueCount',
      },
      estimation:
        board.type === 'scrum'
          ? {
              type: 'field',
              field: { fieldId: this.pointsField.id, displayName: this.pointsField.name },
            }
          : { type: 'issueCount' },
      ranking: { rankCustomFieldId: 10019 },
    };
  }

  private renderSprint(s: Sprint): object {
    return {
      id: s.id,
      self: `${this.base()}/rest/agile/1.0/sprint/${s.id}`,
      state: s.state,
      name: s.name,
      ...(s.startDate ? { startDate: s.startDate, endDate: s.endDate } : {}),
      ...(s.completeDate ? { completeDate: s.completeDate } : {}),
      originBoardId: s.boardId,
      goal: s.goal,
    };
  }

  private everIn(issue: AgileIssue, sprintId: string): boolean {
    const seen = new Set(sprintIdsOf(issue.createdInSprint ?? ''));
    for (const h of issue.history) {
      if (h.change.field !== 'Sprint') continue;
      for (const v of [...sprintIdsOf(h.change.from), ...sprintIdsOf(h.change.to)]) seen.add(v);
    }
    return seen.has(sprintId);
  }

  private currentSprints(issue: AgileIssue): string[] {
    const moves = issue.history.flatMap((h) => (h.change.field === 'Sprint' ? [h.change] : []));
    return sprintIdsOf(moves.at(-1)?.to ?? issue.createdInSprint ?? '');
  }

  private renderUser(name: UserName | null): object | null {
    if (!name) return null;
    const u = USERS[name];
    return this.flavor === 'cloud'
      ? { accountId: u.accountId, displayName: u.displayName, active: true }
      : { name: u.login, key: `JIRAUSER-${u.login}`, displayName: u.displayName, active: true };
  }

  private renderIssue(issue: AgileIssue, requested: string[] | undefined, api: '2' | '3'): object {
    const status = STATUSES[issue.status];
    const sprints = this.currentSprints(issue).map((id) => {
      const s = SPRINTS.find((x) => String(x.id) === id)!;
      return { id: s.id, name: s.name, state: s.state, boardId: s.boardId };
    });
    const all: Record<string, unknown> = {
      summary: issue.summary,
      created: jiraTime(issue.created),
      updated: jiraTime(issue.history.at(-1)?.at ?? issue.created),
      status: {
        id: status.id,
        name: issue.status,
        statusCategory: { key: status.category },
      },
      issuetype: issue.subtaskOf
        ? { id: '10003', name: 'Sub-task', subtask: true }
        : { id: '10001', name: 'Story', subtask: false },
      ...(issue.subtaskOf ? { parent: { key: issue.subtaskOf } } : {}),
      assignee: this.renderUser(issue.assignee),
      [this.pointsField.id]: issue.points,
      [this.sprintFieldId]: sprints.length > 0 ? sprints : null,
    };
    const fields =
      requested && !requested.includes('*all') && !requested.includes('*navigable')
        ? Object.fromEntries(requested.filter((f) => f in all).map((f) => [f, all[f]]))
        : all;
    return {
      id: String(issue.id),
      key: issue.key,
      self: `${this.base()}/rest/api/${api}/issue/${issue.id}`,
      fields,
    };
  }

  private renderHistory(issue: AgileIssue, h: AgileIssue['history'][number], n: number): object {
    const c = h.change;
    const cloud = this.flavor === 'cloud';
    let item: Record<string, unknown>;
    switch (c.field) {
      case 'Sprint': {
        const names = (v: string) =>
          sprintIdsOf(v)
            .map((id) => SPRINTS.find((s) => String(s.id) === id)!.name)
            .join(', ');
        item = {
          field: 'Sprint',
          fieldtype: 'custom',
          ...(cloud ? { fieldId: this.sprintFieldId } : {}),
          from: c.from,
          fromString: names(c.from),
          to: c.to,
          toString: names(c.to),
        };
        break;
      }
      case 'status':
        item = {
          field: 'status',
          fieldtype: 'jira',
          ...(cloud ? { fieldId: 'status' } : {}),
          from: STATUSES[c.from].id,
          fromString: c.from,
          to: STATUSES[c.to].id,
          toString: c.to,
        };
        break;
      case 'points':
        item = {
          field: this.pointsField.name,
          fieldtype: 'custom',
          ...(cloud ? { fieldId: this.pointsField.id } : {}),
          from: null,
          fromString: c.from === null ? null : String(c.from),
          to: null,
          toString: c.to === null ? null : String(c.to),
        };
        break;
      case 'assignee': {
        const ref = (u: UserName | null) =>
          u ? (cloud ? USERS[u].accountId : USERS[u].login) : null;
        item = {
          field: 'assignee',
          fieldtype: 'jira',
          ...(cloud ? { fieldId: 'assignee' } : {}),
          from: ref(c.from),
          fromString: c.from ? USERS[c.from].displayName : null,
          to: ref(c.to),
          toString: c.to ? USERS[c.to].displayName : null,
        };
        break;
      }
    }
    return {
      id: String(issue.id * 100 + n),
      author: this.renderUser('ana'),
      created: jiraTime(h.at),
      items: [item],
    };
  }
}
