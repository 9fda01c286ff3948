import {
  AbilityBuilder,
  createMongoAbility,
  type MongoAbility,
  type MongoQuery,
} from '@casl/ability';
import type { SessionUser } from '../session-user.js';

export type Action = 'read' | 'export' | 'sync' | 'manage';
/** Case: cases and their table/API; Stats: team statistics and reports; Queue: Bull Board and
 * sync controls; Token: API tokens; Status: freshness page. */
export type Subject = 'Case' | 'Stats' | 'Queue' | 'Token' | 'Status' | 'all';

export type CaseAbility = MongoAbility<
  [Action, Subject | { __caslSubjectType__: 'Case'; account: string | null }],
  MongoQuery
>;

const MAX_CACHED = 1000;
const cached = new Map<string, CaseAbility>();

/**
 * The user's ability: the rules say both which routes open and which rows show. They depend
 * only on the roles and the accounts, so abilities are shared between requests of users alike
 * (they are never updated after build); building one per request made CASL's rule index
 * garbage on every call.
 */
export function abilityFor(user: SessionUser): CaseAbility {
  const key = `${[...user.roles].sort().join(',')}\u0000${user.accounts === null ? '*' : JSON.stringify(user.accounts)}`;
  let ability = cached.get(key);
  if (!ability) {
    if (cached.size >= MAX_CACHED) cached.clear();
    ability = buildAbility(user);
    cached.set(key, ability);
  }
  return ability;
}

function buildAbility(user: SessionUser): CaseAbility {
  const { can, build } = new AbilityBuilder<CaseAbility>(createMongoAbility);
  const roles = new Set(user.roles);
  if (roles.has('admin')) {
    can('manage', 'all');
    return build();
  }
  const rows = user.accounts === null ? undefined : { account: { $in: user.accounts } };
  if (roles.size > 0) {
    can('read', 'Case', rows);
    can('read', 'Status');
  }
  if (roles.has('lead')) {
    can('read', 'Stats');
    can('export', 'Case', rows);
  }
  return build();
}
