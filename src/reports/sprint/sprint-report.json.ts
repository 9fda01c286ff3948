import type { SprintReport } from './sprint-report.model.js';

/** The report model as is (documented in sprint-report.model.ts and the README). */
export function renderJson(report: SprintReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
