import { categories } from './sprint-report.format.js';
import type { SprintReport } from './sprint-report.model.js';

function csvCell(value: string | number): string {
  let text = String(value);
  // A spreadsheet would run a cell starting with = + - @ as a formula (CSV injection).
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * One row per assignee (at sprint end) and a last `(total)` row: issue counts and points of
 * each category. The per-issue detail is in the json format.
 */
export function renderCsv(report: SprintReport): string {
  const head = [
    'sprint_id',
    'sprint',
    'assignee',
    ...categories(report).flatMap(([key]) => [`${snake(key)}_issues`, `${snake(key)}_points`]),
  ];
  const rows = [
    ...report.assignees.map((row) => [row.assignee?.name ?? '(unassigned)', row] as const),
    ['(total)', report.totals] as const,
  ].map(([name, figures]) => [
    report.sprint.id,
    report.sprint.name,
    name,
    ...categories(report).flatMap(([key]) => [figures[key].issues, figures[key].points]),
  ]);
  return [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
