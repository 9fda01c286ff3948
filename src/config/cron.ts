import { parseExpression } from 'cron-parser';

/**
 * Bull parses repeat rules with this same library, so a cron accepted here is one Bull will run.
 * Returns why the expression is invalid, or null.
 */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6) {
    return `expected 5 fields (or 6 with seconds), got ${fields.length}`;
  }
  try {
    parseExpression(expression);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
