import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SprintReport } from '../../../src/reports/sprint/sprint-report.model.js';
import { JiraSimulator } from '../../simulators/index.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runNode } from '../../support/processes.js';
import { testEnv, uniquePrefix } from '../../support/test-context.js';

/*
 * bin/sprint-report against the JIRA simulator's hand-made board 7 (test/simulators/jira.agile.ts).
 * Sprint 71 "Sprint 2": started 2026-11-02 09:00, completed 2026-11-13 16:00 UTC. Done = the
 * board's last column, "Done" (Resolved sits in "Review"). Worked out by hand, issue by issue:
 *
 *   issue   in at start?  during the sprint                      at the end           assignee@end
 *   SPR-1   yes, 5 pt     carried in from sprint 70; Done 11-10   completed 5          Ana
 *   SPR-2   yes, 3 pt     -                                       carried over 3       Ben (Ana only from 11-18)
 *   SPR-3   yes, 2 pt     re-estimated 2→5 11-05; Ben→Cy; Done    completed 5          Cy
 *   SPR-4   no            joined 11-04 at 8 pt; Done 11-11        completed 8 (added)  Cy
 *   SPR-5   yes, 5 pt     back to backlog 11-06                   removed 5            Ana
 *   SPR-6   no            created in the sprint 11-09, 1 pt       carried over 1       unassigned
 *   SPR-7   no            joined 11-05 at 3, to sprint 72 11-08   removed 3 (added)    Ana
 *   SPR-8   yes, 3 pt     Resolved 11-12 (not the last column)    carried over 3       Ben
 *   SPR-9   sub-task of SPR-3: left out
 *   SPR-10  yes, 2 pt     Done 11-12 (reopened 11-20, after)      completed 2          Cy
 *   SPR-11  yes, unestimated (0); estimated 2 on 11-03; Done      completed 2          Ana
 *
 *   committed 7 issues, 5+3+2+5+3+2+0 = 20 pt   added 3, 8+1+3 = 12 pt   removed 2, 5+3 = 8 pt
 *   completed 5, 5+5+8+2+2 = 22 pt              carried over 3, 3+1+3 = 7 pt
 *   re-estimated 2 (SPR-3 +3, SPR-11 +2) = +5   check: 20 + 12 - 8 + 5 = 29 = 22 + 7
 *   completion 5/7 = 0.7143 of issues, 22/20 = 1.1 of points
 */
const T = (issues: number, points: number) => ({ issues, points });
const ANA = { id: '712020:ana-lima', name: 'Ana Lima' };
const BEN = { id: '712020:ben-okafor', name: 'Ben Okafor' };
const CY = { id: '712020:cy-dubois', name: 'Cy Dubois' };
const row = (
  assignee: typeof ANA | null,
  [committed, added, removed, completed, carriedOver]: [number, number][],
) => ({
  assignee,
  committed: T(...committed),
  added: T(...added),
  removed: T(...removed),
  completed: T(...completed),
  carriedOver: T(...carriedOver),
});
const SPRINT_2_ASSIGNEES = [
  // Ana: SPR-1 (c 5, done 5), SPR-5 (c 5, removed 5), SPR-7 (added 3, removed 3), SPR-11 (c 0, done 2)
  row(ANA, [
    [3, 10],
    [1, 3],
    [2, 8],
    [2, 7],
    [0, 0],
  ]),
  // Ben: SPR-2 and SPR-8, committed and carried over at 3 each
  row(BEN, [
    [2, 6],
    [0, 0],
    [0, 0],
    [0, 0],
    [2, 6],
  ]),
  // Cy: SPR-3 (c 2, done 5), SPR-4 (added 8, done 8), SPR-10 (c 2, done 2)
  row(CY, [
    [2, 4],
    [1, 8],
    [0, 0],
    [3, 15],
    [0, 0],
  ]),
  // SPR-6
  row(null, [
    [0, 0],
    [1, 1],
    [0, 0],
    [0, 0],
    [1, 1],
  ]),
];

describe('bin/sprint-report', () => {
  let cloud: JiraSimulator;
  let dc: JiraSimulator;
  let env: Record<string, string>;
  const base = testEnv(uniquePrefix('sprint'), {
    JIRA_PAGE_SIZE: '4', // 11 issues: three search pages
    UPSTREAM_RETRIES: '2',
    UPSTREAM_RETRY_BASE_MS: '10',
    UPSTREAM_RETRY_MAX_MS: '50',
  });
  const run = (args: string[], extra: Record<string, string> = env) =>
    runNode(['bin/sprint-report', ...args], extra);
  const report = async (args: string[], extra?: Record<string, string>) => {
    const result = await run([...args, '--format', 'json'], extra);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as SprintReport;
  };

  beforeAll(async () => {
    [cloud, dc] = await Promise.all([
      JiraSimulator.start({ flavor: 'cloud', issues: 5 }),
      JiraSimulator.start({ flavor: 'datacenter', issues: 5 }),
    ]);
    env = { ...base, ...cloud.env };
  });
  afterAll(async () => {
    await Promise.all([cloud?.close(), dc?.close()]);
  });

  it('should answer --help', async () => {
    const result = await runNode(['bin/sprint-report', '--help'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: bin\/sprint-report/);
    expect(result.stdout).toContain('--last-closed');
  });

  it('should report the last closed sprint with every figure as worked out by hand', async () => {
    cloud.requests.length = 0;
    const r = await report(['--board', '7']);
    expect(r.schemaVersion).toBe(1);
    expect(r.board).toEqual({ id: 7, name: 'Support squad' });
    expect(r.sprint).toMatchObject({ id: 71, name: 'Sprint 2', state: 'closed' });
    expect(r.endAt).toBe('2026-11-13T16:00:00.000Z');
    expect(r.estimation).toEqual({ fieldId: 'customfield_10016', name: 'Story point estimate' });
    expect(r.doneStatuses).toEqual(['Done']);
    expect(r.subtasksExcluded).toBe(1);
    expect(r.totals).toEqual({
      committed: T(7, 20),
      added: T(3, 12),
      removed: T(2, 8),
      completed: T(5, 22),
      carriedOver: T(3, 7),
      reestimated: T(2, 5),
    });
    expect(r.completionRatio).toEqual({ issues: 0.7143, points: 1.1 });
    expect(r.assignees).toEqual(SPRINT_2_ASSIGNEES);
    expect(
      r.carriedOver.map((i) => [i.key, i.status, i.assignee?.name ?? null, i.pointsAtEnd]),
    ).toEqual([
      ['SPR-2', 'In Progress', 'Ben Okafor', 3],
      ['SPR-6', 'Open', null, 1],
      ['SPR-8', 'Resolved', 'Ben Okafor', 3],
    ]);
    expect(r.issues.map((i) => i.key)).toEqual([
      'SPR-1',
      'SPR-2',
      'SPR-3',
      'SPR-4',
      'SPR-5',
      'SPR-6',
      'SPR-7',
      'SPR-8',
      'SPR-10',
      'SPR-11',
    ]);
    // the documented endpoints only; paged searches, sprint lists and changelogs were followed
    const paths = cloud.requests.map((q) => q.path);
    expect(paths.some((p) => p.includes('greenhopper'))).toBe(false);
    expect(paths.filter((p) => p === '/rest/api/3/search/jql')).toHaveLength(3);
    expect(paths.filter((p) => p === '/rest/agile/1.0/board/7/sprint')).toHaveLength(2);
    expect(paths.filter((p) => p === '/rest/api/3/issue/SPR-1/changelog')).toHaveLength(2);
  });

  it('should give the same figures from JIRA Data Center (v2, expanded changelogs)', async () => {
    const r = await report(['--board', '7', '--sprint', '71'], { ...base, ...dc.env });
    expect(r.estimation).toEqual({ fieldId: 'customfield_10002', name: 'Story Points' });
    expect(r.totals.committed).toEqual(T(7, 20));
    expect(r.totals.completed).toEqual(T(5, 22));
    expect(r.totals.carriedOver).toEqual(T(3, 7));
    expect(r.totals.reestimated).toEqual(T(2, 5));
    expect(r.assignees.map((a) => a.assignee?.name ?? null)).toEqual([
      'Ana Lima',
      'Ben Okafor',
      'Cy Dubois',
      null,
    ]);
    expect(r.assignees.map((a) => a.completed)).toEqual(SPRINT_2_ASSIGNEES.map((a) => a.completed));
  });

  it('should report the active sprint as of now and an earlier sprint by id', async () => {
    // Sprint 3 (72): SPR-2, SPR-6, SPR-8 carried in at the completion of 71, SPR-7 moved in on
    // 11-08 — all before its start; none in Done: committed 4 = 3+1+3+3 = 10 pt, all open.
    const active = await report(['--board', '7', '--active']);
    expect(active.sprint).toMatchObject({ id: 72, state: 'active', completeDate: null });
    expect(active.totals.committed).toEqual(T(4, 10));
    expect(active.totals.completed).toEqual(T(0, 0));
    expect(active.totals.carriedOver).toEqual(T(4, 10));
    expect(active.completionRatio).toEqual({ issues: 0, points: 0 });
    // Sprint 1 (70): SPR-1 joined a day after the start at 5 pt and was carried over.
    const first = await report(['--board', '7', '--sprint', '70']);
    expect(first.totals).toMatchObject({
      committed: T(0, 0),
      added: T(1, 5),
      carriedOver: T(1, 5),
    });
    expect(first.completionRatio).toEqual({ issues: null, points: null });
  });

  it('should show a progress bar on a terminal only', async () => {
    // util-linux `script` gives the command a pseudo-terminal; the report goes to a file.
    const out = join(mkdtempSync(join(tmpdir(), 'caseboard-sprint-')), 'r.json');
    const command = `${process.execPath} bin/sprint-report --board 7 --format json --out ${out}`;
    const tty = await promisify(execFile)('script', ['-qec', command, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    // 11 issues in sprint 71 (SPR-1 … SPR-11, the sub-task included): one changelog each
    expect(tty.stdout).toMatch(/changelogs\s*\|[^|]*\| 11\/11/);
    expect((JSON.parse(readFileSync(out, 'utf8')) as SprintReport).totals.completed).toEqual(
      T(5, 22),
    );
  });

  it('should write Markdown for a wiki or chat, cells escaped', async () => {
    const result = await run(['--board', '7', '--format', 'md']);
    expect(result.code).toBe(0);
    const md = result.stdout;
    expect(md).toContain('# Sprint report: Sprint 2 (board 7, Support squad)');
    expect(md).toContain('| Committed | 7 | 20 |');
    expect(md).toContain('| Carried over | 3 | 7 |');
    expect(md).toContain('Completion (completed ÷ committed): 71% of issues, 110% of points.');
    expect(md).toContain('| Cy Dubois | 2 (4 pt) | 1 (8 pt) | 0 (0 pt) | 3 (15 pt) | 0 (0 pt) |');
    expect(md).toContain('| SPR-6 | Customer export \\| stalls at 99% | Open | (unassigned) | 1 |');
    expect(md).toContain(
      '| SPR-8 | Attachment &lt;img src=x onerror=alert(1)&gt; previews & "thumbs" |',
    );
  });

  it('should write CSV rows per assignee and a total, and --out a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caseboard-sprint-'));
    const out = join(dir, 'sprint.csv');
    const result = await run(['--board', '7', '--format', 'csv', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(
      [
        'sprint_id,sprint,assignee,committed_issues,committed_points,added_issues,added_points,removed_issues,removed_points,completed_issues,completed_points,carried_over_issues,carried_over_points',
        '71,Sprint 2,Ana Lima,3,10,1,3,2,8,2,7,0,0',
        '71,Sprint 2,Ben Okafor,2,6,0,0,0,0,0,0,2,6',
        '71,Sprint 2,Cy Dubois,2,4,1,8,0,0,3,15,0,0',
        '71,Sprint 2,(unassigned),0,0,1,1,0,0,0,0,1,1',
        '71,Sprint 2,(total),7,20,3,12,2,8,5,22,3,7',
        '',
      ].join('\n'),
    );
  });

  it('should write one self-contained HTML file with the chart data and Chart.js embedded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caseboard-sprint-'));
    const out = join(dir, 'sprint.html');
    const result = await run(['--board', '7', '--format', 'html', '--out', out]);
    expect(result.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).toContain('Chart.js v4');
    const data = /<script type="application\/json" id="chart-data">(.*?)<\/script>/.exec(html);
    expect(JSON.parse(data![1])).toEqual({
      unit: 'points',
      labels: ['Ana Lima', 'Ben Okafor', 'Cy Dubois', '(unassigned)'],
      committed: [10, 6, 4, 0],
      completed: [7, 0, 15, 0],
    });
    expect(html).toContain(
      'Attachment &lt;img src=x onerror=alert(1)&gt; previews &amp; &quot;thumbs&quot;',
    );
  });

  it('should exit 2 naming an unknown board or sprint, or one without sprints', async () => {
    const cases: [string[], string][] = [
      [['--board', '99'], 'error: JIRA has no board 99 (or the JIRA user cannot see it)\n'],
      [
        ['--board', '7', '--sprint', '999'],
        'error: JIRA has no sprint 999 (or the JIRA user cannot see it)\n',
      ],
      [['--board', '8'], 'error: board 8 (Ops flow) is a kanban board: it has no sprints\n'],
      [['--board', '9'], 'error: board 9 has no closed sprint\n'],
      [['--board', '9', '--sprint', '90'], 'error: sprint 90 (Pilot 1) has not started yet\n'],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      expect({ args, code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({
        args,
        code: 2,
        stderr: message,
        stdout: '',
      });
    }
    const usage = await run(['--board', '7', '--active', '--sprint', '3']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('give one of --sprint, --active, --last-closed');
  });

  it('should exit 1 when JIRA refuses the credentials', async () => {
    const result = await run(['--board', '7'], { ...env, JIRA_API_TOKEN: 'not-the-token' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: JIRA refused the credentials (HTTP 401): check JIRA_EMAIL and JIRA_API_TOKEN\n',
    );
    expect(result.stderr).not.toContain('not-the-token');
  });

  it('should exit 1 when JIRA stays unreachable or failing after its retries', async () => {
    // UPSTREAM_RETRIES=2: three attempts, then the error
    cloud.requests.length = 0;
    cloud.faults.add({ kind: 'status500', path: '/rest/agile/1.0/board/7', times: 3 });
    const failing = await run(['--board', '7']);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/^error: JIRA is unreachable after 3 attempts: jira: HTTP 500/);
    expect(cloud.requests.filter((q) => q.path === '/rest/agile/1.0/board/7')).toHaveLength(3);

    const closed = await JiraSimulator.start({ flavor: 'cloud', issues: 1 });
    const url = closed.url;
    await closed.close();
    const down = await run(['--board', '7'], { ...env, JIRA_URL: url });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^error: JIRA is unreachable after 3 attempts: .*ECONNREFUSED/);
  });
});
