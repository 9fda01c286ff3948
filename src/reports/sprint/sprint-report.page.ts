import { chartData } from './sprint-report.html.js';
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

/** What views/reports-sprint.hbs shows: strings only, the same figures as the md renderer. */
export function sprintReportPage(report: SprintReport) {
  const estimated = report.estimation !== null;
  return {
    title: `${report.sprint.name} (board ${report.board.id}, ${report.board.name})`,
    period: period(report),
    goal: report.sprint.goal,
    estimated,
    totals: summaryRows(report).map(([key, label]) => ({
      key,
      label,
      issues: String(report.totals[key].issues),
      points: String(report.totals[key].points),
    })),
    completion: {
      issues: percent(report.completionRatio.issues),
      points: percent(report.completionRatio.points),
    },
    headings: headings(report),
    categoryLabels: categories(report).map(([, label]) => label),
    assignees: report.assignees.map((row) => ({
      name: who(row.assignee),
      cells: categories(report).map(([key]) => tallyText(row[key], estimated)),
    })),
    carriedOver: report.carriedOver.map((r) => ({
      key: r.key,
      summary: r.summary,
      status: r.status,
      assignee: who(r.assignee),
      points: points(r.pointsAtEnd),
    })),
    notes: notes(report),
    chart: JSON.stringify(chartData(report)),
  };
}
