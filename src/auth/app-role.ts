/**
 * What a person may do. engineer: read cases; partner: read cases of their accounts only;
 * lead: engineer + statistics, reports, CSV export; admin: everything.
 */
export const APP_ROLES = ['engineer', 'partner', 'lead', 'admin'] as const;
export type AppRole = (typeof APP_ROLES)[number];
