import type { CaseAbility } from './case-ability.js';

/**
 * The accounts whose cases `action` may touch, read from the CASL rules themselves (null: all).
 * The query layer filters rows with this, so tables, API, charts and exports agree with the
 * ability that opened the route.
 */
export function accountScope(
  ability: CaseAbility,
  action: 'read' | 'export' = 'read',
): string[] | null {
  const rules = ability.rulesFor(action, 'Case');
  if (rules.length === 0) return [];
  const accounts = new Set<string>();
  for (const rule of rules) {
    if (rule.inverted) continue;
    const condition = (rule.conditions as { account?: { $in?: string[] } } | undefined)?.account;
    if (!condition?.$in) return null;
    for (const a of condition.$in) accounts.add(a);
  }
  return [...accounts];
}

/** Whether one case is visible under the scope. */
export function inScope(scope: string[] | null, account: string | null): boolean {
  return scope === null || (account !== null && scope.includes(account));
}
