import type { AppRole } from './app-role.js';
import { APP_ROLES } from './app-role.js';

function values(attribute: unknown): string[] {
  if (attribute === undefined || attribute === null) return [];
  const list = Array.isArray(attribute) ? attribute : [attribute];
  return list
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .map((v) => v.trim());
}

/** Roles from IdP groups, matched exactly (case-insensitively), never by substring. */
export function rolesFromGroups(groups: unknown, roleMap: Record<string, AppRole>): AppRole[] {
  const roles = new Set<AppRole>();
  for (const group of values(groups)) {
    const role = roleMap[group.toLowerCase()];
    if (role) roles.add(role);
  }
  return APP_ROLES.filter((r) => roles.has(r));
}

/**
 * The accounts a user may see: admins see all; a partner sees only the accounts the IdP lists
 * (none when it lists none); anyone else is limited only when the IdP sends the attribute.
 */
export function accountsFromAssertion(roles: AppRole[], accounts: unknown): string[] | null {
  if (roles.includes('admin')) return null;
  const listed = values(accounts);
  if (roles.includes('partner') && !roles.some((r) => r === 'engineer' || r === 'lead'))
    return listed;
  return listed.length > 0 ? listed : null;
}
