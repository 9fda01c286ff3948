import { renderCsv } from './sprint-report.csv.js';
import { renderHtml } from './sprint-report.html.js';
import { renderJson } from './sprint-report.json.js';
import { renderMarkdown } from './sprint-report.md.js';
import { replaySprint, type ReplayInput } from './sprint-replay.js';

const START = Date.parse('2026-11-16T09:00:00Z');

/** Sprint 72 running now: one committed issue (3 pt) by "=HYPERLINK(…)", one by nobody. */
function activeReport(overrides: Partial<ReplayInput['sprint']> = {}) {
  return replaySprint({
    board: { id: 7, name: 'Support <squad>' },
    sprint: {
      id: 72,
      name: 'Sprint | 3',
      state: 'active',
      goal: '<b>ship</b>',
      startDate: '2026-11-16T09:00:00.000Z',
      endDate: '2026-11-27T17:00:00.000Z',
      completeDate: null,
      ...overrides,
    },
    startAt: START,
    endAt: Date.parse('2026-11-20T12:00:00Z'),
    generatedAt: '2026-11-20T12:00:00.000Z',
    estimation: { fieldId: 'customfield_10016', name: 'Story point estimate' },
    doneStatuses: [{ id: '10001', name: 'Done' }],
    issues: [
      {
        key: 'SPR-2',
        summary: 'a | b <i>c</i>',
        type: 'Story',
        subtask: false,
        createdAt: START - 86_400_000,
        status: { id: '3', name: 'In Progress' },
        assignee: { id: 'x', name: '=HYPERLINK("http://evil")' },
        points: 3,
        histories: [],
      },
    ],
  });
}

describe('sprint report renderers', () => {
  it('should call what an active sprint has left "not done yet", in md, html and csv alike', () => {
    const report = activeReport();
    const md = renderMarkdown(report);
    expect(md).toContain('| Not done yet | 1 | 3 |');
    expect(md).toContain('## Not done yet');
    expect(md).toContain('## Per assignee (now)');
    expect(renderHtml(report)).toContain('<h2>Not done yet</h2>');
    // column names are the JSON's, whatever the state
    expect(renderCsv(report).split('\n')[0]).toContain('carried_over_issues');
  });

  it('should escape what comes from JIRA in each format', () => {
    const report = activeReport();
    const md = renderMarkdown(report);
    expect(md).toContain('# Sprint report: Sprint \\| 3 (board 7, Support &lt;squad&gt;)');
    expect(md).toContain('| SPR-2 | a \\| b &lt;i&gt;c&lt;/i&gt; | In Progress |');
    const html = renderHtml(report);
    expect(html).toContain('<p>Goal: &lt;b&gt;ship&lt;/b&gt;</p>');
    expect(html).not.toContain('<b>ship</b>');
    // a spreadsheet must not run an assignee name as a formula
    expect(renderCsv(report)).toContain('"\'=HYPERLINK(""http://evil"")"');
    expect(JSON.parse(renderJson(report))).toEqual(report);
  });
});
