import {
  categories,
  headings,
  summaryRows,
  notes,
  percent,
  period,
  points,
  tallyText,
  who,
} from './sprint-report.format.js';
import type { SprintReport } from './sprint-report.model.js';

/** Pipes and line breaks would end a table cell; tags would be HTML to many wikis. */
const cell = (text: string) =>
  text
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');

const table = (head: string[], rows: string[][], numericFrom = 1): string[] => [
  `| ${head.join(' | ')} |`,
  `| ${head.map((_, i) => (i < numericFrom ? '---' : '---:')).join(' | ')} |`,
  ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
];

/** GitHub-flavoured Markdown, for a wiki page or a chat message. */
export function renderMarkdown(report: SprintReport): string {
  const estimated = report.estimation !== null;
  const { totals } = report;
  const lines = [
    `# Sprint report: ${cell(report.sprint.name)} (board ${report.board.id}, ${cell(report.board.name)})`,
    '',
    `${period(report)}`,
    ...(report.sprint.goal ? ['', `Goal: ${cell(report.sprint.goal)}`] : []),
    '',
    ...table(
      estimated ? ['', 'Issues', 'Points'] : ['', 'Issues'],
      summaryRows(report).map(([key, label]) =>
        estimated
          ? [label, String(totals[key].issues), String(totals[key].points)]
          : [label, String(totals[key].issues)],
      ),
    ),
    '',
    `Completion (completed ÷ committed): ${percent(report.completionRatio.issues)} of issues` +
      (estimated ? `, ${percent(report.completionRatio.points)} of points.` : '.'),
    '',
    `## ${headings(report).perAssignee}`,
    '',
    ...table(
      ['Assignee', ...categories(report).map(([, label]) => label)],
      report.assignees.map((row) => [
        who(row.assignee),
        ...categories(report).map(([key]) => tallyText(row[key], estimated)),
      ]),
    ),
    '',
    `## ${headings(report).carriedOver}`,
    '',
    ...(report.carriedOver.length === 0
      ? ['None.']
      : table(
          ['Issue', 'Summary', 'Status', 'Assignee', ...(estimated ? ['Points'] : [])],
          report.carriedOver.map((r) => [
            r.key,
            r.summary,
            r.status,
            who(r.assignee),
            ...(estimated ? [points(r.pointsAtEnd)] : []),
          ]),
          4,
        )),
    '',
    ...notes(report).map((n) => `_${cell(n)}_`),
  ];
  return lines.join('\n') + '\n';
}
