import { replaySprint, type ReplayInput, type ReplayIssue } from './sprint-replay.js';

const T = (iso: string) => Date.parse(iso);
const START = '2026-11-02T09:00:00.000Z';
const END = '2026-11-13T16:00:00.000Z';
const ANA = { id: 'u-ana', name: 'Ana Lima' };
const BEN = { id: 'u-ben', name: 'Ben Okafor' };
const CY = { id: 'u-cy', name: 'Cy Dubois' };
const DONE = { id: '10001', name: 'Done' };
const WIP = { id: '3', name: 'In Progress' };
const SP = 'customfield_10016';

function anIssue(overrides: Partial<ReplayIssue> & { key: string }): ReplayIssue {
  return {
    summary: `Summary of ${overrides.key}`,
    type: 'Story',
    subtask: false,
    createdAt: T('2026-10-01T00:00:00Z'),
    status: WIP,
    assignee: ANA,
    points: 3,
    histories: [],
    ...overrides,
  };
}

const sprintMove = (at: string, from: string, to: string) => ({
  at: T(at),
  items: [
    { field: 'Sprint', fieldId: 'customfield_10020', from, fromString: null, to, toString: null },
  ],
});
const statusMove = (at: string, from: { id: string; name: string }, to: typeof from) => ({
  at: T(at),
  items: [{ field: 'status', from: from.id, fromString: from.name, to: to.id, toString: to.name }],
});
const estimate = (at: string, from: number | null, to: number | null) => ({
  at: T(at),
  items: [
    {
      field: 'Story point estimate',
      fieldId: SP,
      from: null,
      fromString: from === null ? null : String(from),
      to: null,
      toString: to === null ? null : String(to),
    },
  ],
});
const reassign = (at: string, from: typeof ANA | null, to: typeof ANA | null) => ({
  at: T(at),
  items: [
    {
      field: 'assignee',
      from: from?.id ?? null,
      fromString: from?.name ?? null,
      to: to?.id ?? null,
      toString: to?.name ?? null,
    },
  ],
});
/** Joined the sprint before it started. */
const planned = (at = '2026-10-30T10:00:00Z') => sprintMove(at, '', '71');

function input(issues: ReplayIssue[], overrides: Partial<ReplayInput> = {}): ReplayInput {
  return {
    board: { id: 7, name: 'Support board' },
    sprint: {
      id: 71,
      name: 'Sprint 2',
      state: 'closed',
      goal: null,
      startDate: START,
      endDate: '2026-11-13T17:00:00.000Z',
      completeDate: END,
    },
    startAt: T(START),
    endAt: T(END),
    generatedAt: '2026-11-23T00:00:00.000Z',
    estimation: { fieldId: SP, name: 'Story point estimate' },
    doneStatuses: [DONE],
    issues,
    ...overrides,
  };
}

describe(replaySprint.name, () => {
  it('should count a committed issue completed during the sprint', () => {
    const report = replaySprint(
      input([
        anIssue({
          key: 'SPR-1',
          points: 5,
          status: DONE,
          histories: [planned(), statusMove('2026-11-10T12:00:00Z', WIP, DONE)],
        }),
      ]),
    );
    expect(report.totals.committed).toEqual({ issues: 1, points: 5 });
    expect(report.totals.completed).toEqual({ issues: 1, points: 5 });
    expect(report.totals.carriedOver).toEqual({ issues: 0, points: 0 });
    expect(report.completionRatio).toEqual({ issues: 1, points: 1 });
  });

  it('should take status, estimate and assignee at the sprint end, not now', () => {
    // Done at the end, reopened a week later, re-estimated and reassigned after the end too.
    const report = replaySprint(
      input([
        anIssue({
          key: 'SPR-10',
          status: WIP,
          points: 8,
          assignee: BEN,
          histories: [
            planned(),
            statusMove('2026-11-12T10:00:00Z', WIP, DONE),
            statusMove('2026-11-20T10:00:00Z', DONE, WIP),
            estimate('2026-11-20T11:00:00Z', 2, 8),
            reassign('2026-11-20T12:00:00Z', CY, BEN),
          ],
        }),
      ]),
    );
    expect(report.totals.completed).toEqual({ issues: 1, points: 2 });
    expect(report.issues[0]).toMatchObject({ status: 'Done', assignee: CY, pointsAtEnd: 2 });
    expect(report.assignees.map((a) => a.assignee)).toEqual([CY]);
  });

  it('should count an issue that joined after the start as added, at its estimate then', () => {
    // estimate 8 when it joined on Nov 4, raised to 13 on Nov 6: added 8, completed 13
    const report = replaySprint(
      input([
        anIssue({
          key: 'SPR-4',
          status: DONE,
          points: 13,
          histories: [
            sprintMove('2026-11-04T10:00:00Z', '', '71'),
            estimate('2026-11-06T10:00:00Z', 8, 13),
            statusMove('2026-11-11T10:00:00Z', WIP, DONE),
          ],
        }),
      ]),
    );
    expect(report.totals.committed).toEqual({ issues: 0, points: 0 });
    expect(report.totals.added).toEqual({ issues: 1, points: 8 });
    expect(report.totals.completed).toEqual({ issues: 1, points: 13 });
    expect(report.totals.reestimated).toEqual({ issues: 1, points: 5 });
    expect(report.completionRatio).toEqual({ issues: null, points: null });
  });

  it('should count an issue created inside the sprint (no Sprint change at all) as added', () => {
    const report = replaySprint(
      input([
        anIssue({ key: 'SPR-6', createdAt: T('2026-11-09T09:00:00Z'), points: 1, assignee: null }),
      ]),
    );
    expect(report.totals.added).toEqual({ issues: 1, points: 1 });
    expect(report.totals.carriedOver).toEqual({ issues: 1, points: 1 });
    expect(report.assignees).toEqual([
      {
        assignee: null,
        committed: { issues: 0, points: 0 },
        added: { issues: 1, points: 1 },
        removed: { issues: 0, points: 0 },
        completed: { issues: 0, points: 0 },
        carriedOver: { issues: 1, points: 1 },
      },
    ]);
  });

  it('should count committed and added issues that left before the end as removed', () => {
    const report = replaySprint(
      input([
        // committed at 5, back to the backlog on Nov 6
        anIssue({
          key: 'SPR-5',
          points: 5,
          histories: [planned(), sprintMove('2026-11-06T10:00:00Z', '71', '')],
        }),
        // added at 3 on Nov 5, moved on to the next sprint on Nov 8
        anIssue({
          key: 'SPR-7',
          points: 3,
          histories: [
            sprintMove('2026-11-05T10:00:00Z', '', '71'),
            sprintMove('2026-11-08T10:00:00Z', '71', '72'),
          ],
        }),
      ]),
    );
    expect(report.totals.committed).toEqual({ issues: 1, points: 5 });
    expect(report.totals.added).toEqual({ issues: 1, points: 3 });
    expect(report.totals.removed).toEqual({ issues: 2, points: 8 });
    expect(report.totals.completed.issues + report.totals.carriedOver.issues).toBe(0);
  });

  it('should keep an issue carried over by the completion move in the carried-over list', () => {
    // JIRA keeps the closed sprint in the field and appends the next one at completion.
    const report = replaySprint(
      input([
        anIssue({
          key: 'SPR-2',
          assignee: ANA,
          histories: [
            planned(),
            sprintMove('2026-11-13T16:00:05Z', '71', '71, 72'),
            reassign('2026-11-18T09:00:00Z', BEN, ANA),
          ],
        }),
      ]),
    );
    expect(report.totals.carriedOver).toEqual({ issues: 1, points: 3 });
    expect(report.carriedOver.map((r) => [r.key, r.status, r.assignee?.name])).toEqual([
      ['SPR-2', 'In Progress', 'Ben Okafor'],
    ]);
  });

  it('should judge done by the board column, not the status category', () => {
    const resolved = { id: '5', name: 'Resolved' };
    const report = replaySprint(
      input([
        anIssue({
          key: 'SPR-8',
          status: resolved,
          histories: [planned(), statusMove('2026-11-12T10:00:00Z', WIP, resolved)],
        }),
      ]),
    );
    expect(report.totals.completed.issues).toBe(0);
    expect(report.carriedOver[0].status).toBe('Resolved');
  });

  it('should leave sub-tasks out of every figure and say how many', () => {
    const report = replaySprint(
      input([
        anIssue({ key: 'SPR-3', histories: [planned()] }),
        anIssue({ key: 'SPR-9', subtask: true, type: 'Sub-task', histories: [planned()] }),
      ]),
    );
    expect(report.subtasksExcluded).toBe(1);
    expect(report.issues.map((r) => r.key)).toEqual(['SPR-3']);
    expect(report.totals.committed).toEqual({ issues: 1, points: 3 });
  });

  it('should count issues only when the board estimates by issue count', () => {
    const report = replaySprint(
      input([anIssue({ key: 'SPR-1', histories: [planned()] })], { estimation: null }),
    );
    expect(report.totals.committed).toEqual({ issues: 1, points: 0 });
    expect(report.issues[0].pointsAtEntry).toBeNull();
  });

  it('should match DC changelog items by the field name when they carry no field id', () => {
    const report = replaySprint(
      input(
        [
          anIssue({
            key: 'SPR-11',
            points: 2,
            histories: [
              planned(),
              {
                at: T('2026-11-03T10:00:00Z'),
                items: [{ field: 'Story Points', from: null, fromString: null, toString: '2' }],
              },
            ],
          }),
        ],
        { estimation: { fieldId: 'customfield_10002', name: 'Story Points' } },
      ),
    );
    // unestimated at the start (0), 2 at the end
    expect(report.totals.committed).toEqual({ issues: 1, points: 0 });
    expect(report.totals.carriedOver).toEqual({ issues: 1, points: 2 });
    expect(report.totals.reestimated).toEqual({ issues: 1, points: 2 });
  });

  it('should leave out issues that were never in the sprint between start and end', () => {
    // in sprint 70 only, and one that joined sprint 71 after it was completed
    const report = replaySprint(
      input([
        anIssue({ key: 'SPR-12', histories: [sprintMove('2026-10-20T10:00:00Z', '', '70')] }),
        anIssue({ key: 'SPR-13', histories: [sprintMove('2026-11-14T10:00:00Z', '', '71')] }),
      ]),
    );
    expect(report.issues).toEqual([]);
  });

  it('should make assignee rows add up to the totals, by name, unassigned last', () => {
    const report = replaySprint(
      input([
        anIssue({ key: 'A-1', assignee: CY, points: 2, histories: [planned()] }),
        anIssue({ key: 'A-2', assignee: null, points: 1, histories: [planned()] }),
        anIssue({ key: 'A-3', assignee: ANA, points: 5, histories: [planned()] }),
        anIssue({ key: 'A-10', assignee: ANA, points: 0.5, histories: [planned()] }),
      ]),
    );
    expect(report.assignees.map((a) => [a.assignee?.name ?? null, a.committed])).toEqual([
      ['Ana Lima', { issues: 2, points: 5.5 }],
      ['Cy Dubois', { issues: 1, points: 2 }],
      [null, { issues: 1, points: 1 }],
    ]);
    expect(report.issues.map((r) => r.key)).toEqual(['A-1', 'A-2', 'A-3', 'A-10']);
    expect(report.totals.committed).toEqual({ issues: 4, points: 8.5 });
  });
});
