import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

const CHART_JS = join(
  __dirname,
  '..',
  '..',
  '..',
  'node_modules',
  'chart.js',
  'dist',
  'chart.umd.min.js',
);

export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** JSON inside a <script> element: `<` escaped so no value can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The committed-vs-completed chart's data, per assignee (points, or issues without estimates). */
export function chartData(report: SprintReport) {
  const unit = report.estimation ? 'points' : 'issues';
  return {
    unit,
    labels: report.assignees.map((a) => who(a.assignee)),
    committed: report.assignees.map((a) => a.committed[unit]),
    completed: report.assignees.map((a) => a.completed[unit]),
  };
}

const INIT = `
(function () {
  var data = JSON.parse(document.getElementById('chart-data').textContent);
  new Chart(document.getElementById('chart'), {
    type: 'bar',
    data: {
      labels: data.labels,
      datasets: [
        { label: 'Committed (' + data.unit + ')', data: data.committed, backgroundColor: '#9ab' },
        { label: 'Completed (' + data.unit + ')', data: data.completed, backgroundColor: '#2a7' }
      ]
    },
    options: { animation: false, responsive: true, scales: { y: { beginAtZero: true } } }
  });
})();
`;

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 4px 8px; }
td.n, th.n { text-align: right; }
.notes { color: #555; font-size: 12px; }
.chart { max-width: 760px; }
`;

function table(head: string[], rows: string[][], numericFrom = 1): string {
  const th = head
    .map((h, i) => `<th${i >= numericFrom ? ' class="n"' : ''}>${escapeHtml(h)}</th>`)
    .join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${i >= numericFrom ? ' class="n"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/**
 * One self-contained file a lead can mail: tables readable without scripts, plus a Chart.js
 * chart whose library is embedded (no network).
 */
export function renderHtml(report: SprintReport): string {
  const estimated = report.estimation !== null;
  const { totals } = report;
  const title = `Sprint report: ${report.sprint.name} (board ${report.board.id}, ${report.board.name})`;
  const summary = table(
    estimated ? ['', 'Issues', 'Points'] : ['', 'Issues'],
    summaryRows(report).map(([key, label]) =>
      estimated
        ? [label, String(totals[key].issues), String(totals[key].points)]
        : [label, String(totals[key].issues)],
    ),
  );
  const assignees = table(
    ['Assignee', ...categories(report).map(([, label]) => label)],
    report.assignees.map((row) => [
      who(row.assignee),
      ...categories(report).map(([key]) => tallyText(row[key], estimated)),
    ]),
  );
  const carried =
    report.carriedOver.length === 0
      ? '<p>None.</p>'
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
        );
  const chartJs = readFileSync(CHART_JS, 'utf8').replace(/<\/script/gi, '<\\/script');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(period(report))}</p>
${report.sprint.goal ? `<p>Goal: ${escapeHtml(report.sprint.goal)}</p>` : ''}
${summary}
<p>Completion (completed ÷ committed): ${percent(report.completionRatio.issues)} of issues${estimated ? `, ${percent(report.completionRatio.points)} of points` : ''}.</p>
<h2>${escapeHtml(headings(report).perAssignee)}</h2>
<div class="chart"><canvas id="chart" role="img" aria-label="Committed and completed per assignee"></canvas></div>
${assignees}
<h2>${escapeHtml(headings(report).carriedOver)}</h2>
${carried}
<div class="notes">${notes(report)
    .map((n) => `<p>${escapeHtml(n)}</p>`)
    .join('\n')}</div>
<script type="application/json" id="chart-data">${scriptJson(chartData(report))}</script>
<script>${chartJs}</script>
<script>${INIT}</script>
</body>
</html>
`;
}
