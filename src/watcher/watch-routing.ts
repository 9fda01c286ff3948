import { SEVERITIES, type Severity } from '../cases/case.model.js';

export const WATCH_RULES = ['new-case', 'sla', 'stale', 'sync-failed'] as const;
export type WatchRule = (typeof WATCH_RULES)[number];

/** Routing key → destinations (mail addresses or Slack channels). */
export type RouteMap = Record<string, string[]>;

export const ROUTE_KEYS: readonly string[] = ['default', ...SEVERITIES, ...WATCH_RULES];

/**
 * Parses `key:value[;value],key:value` (MAIL_TO, SLACK_CHANNELS). A key is `default`, a
 * severity or a rule id; a key given twice adds its destinations.
 */
export function parseRouteMap(
  text: string,
  what: string,
  valid: (value: string) => boolean,
): { map: RouteMap } | { error: string } {
  const map: RouteMap = {};
  for (const entry of text.split(',').filter((e) => e.trim())) {
    const colon = entry.indexOf(':');
    const key = (colon < 0 ? '' : entry.slice(0, colon)).trim().toLowerCase();
    const values = (colon < 0 ? '' : entry.slice(colon + 1))
      .split(';')
      .map((v) => v.trim())
      .filter(Boolean);
    if (!ROUTE_KEYS.includes(key) || values.length === 0) {
      return {
        error: `"${entry.trim()}" is not key:${what}[;${what}] with key one of ${ROUTE_KEYS.join(', ')}`,
      };
    }
    const bad = values.find((v) => !valid(v));
    if (bad !== undefined) return { error: `"${bad}" is not a valid ${what}` };
    map[key] = [...new Set([...(map[key] ?? []), ...values])];
  }
  return { map };
}

/**
 * Where one finding goes: the destinations of its rule and of its severity together; only
 * when neither key is configured, the `default` ones.
 */
export function destinationsFor(
  map: RouteMap,
  rule: WatchRule,
  severity: Severity | null,
): string[] {
  const specific = [...(map[rule] ?? []), ...(severity ? (map[severity] ?? []) : [])];
  return [...new Set(specific.length > 0 ? specific : (map.default ?? []))];
}
