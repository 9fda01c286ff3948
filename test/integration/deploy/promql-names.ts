import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const NOT_METRICS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const OPERATORS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/**
 * The metric names a PromQL expression reads. Not a parser: it drops strings, label matchers,
 * ranges, label lists, numbers, Grafana variables and function calls, and what is left are
 * metric names. Good enough for the dashboards and rules we write, and checked on known cases.
 */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ')
    .replace(/(?<![\w:])\d[\w.]*/g, ' ');
  const names = new Set<string>();
  for (const match of bare.matchAll(/([A-Za-z_:][\w:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (call || NOT_METRICS.has(name) || OPERATORS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names].sort();
}

interface DashboardPanel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: DashboardPanel[];
}

/** Every query of a Grafana dashboard JSON file, with the title of its panel. */
export function dashboardQueries(file: string): { panel: string; expr: string }[] {
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as { panels?: DashboardPanel[] };
  const out: { panel: string; expr: string }[] = [];
  const walk = (panels: DashboardPanel[] = []) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? [])
        if (target.expr) out.push({ panel: panel.title ?? '?', expr: target.expr });
      walk(panel.panels);
    }
  };
  walk(dashboard.panels);
  return out;
}

/** Every alerting or recording rule expression of a Prometheus rules file. */
export function ruleExpressions(file: string): { rule: string; expr: string }[] {
  const rules = parse(readFileSync(file, 'utf8')) as {
    groups: { rules: { alert?: string; record?: string; expr: string }[] }[];
  };
  return rules.groups.flatMap((g) =>
    g.rules.map((r) => ({ rule: r.alert ?? r.record ?? '?', expr: String(r.expr) })),
  );
}

/**
 * Metric names an exposition (Prometheus text format) declares, as PromQL can name them: a
 * histogram or summary counts through its _bucket/_sum/_count series.
 */
export function exposedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    else if (type === 'summary') for (const s of ['', '_sum', '_count']) names.add(name + s);
    else names.add(name);
  }
  return names;
}
