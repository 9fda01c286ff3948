export const ROLES = ['web', 'worker', 'scheduler'] as const;
export type Role = (typeof ROLES)[number];

/** The CLI runs syncs in-process, so it needs what a worker needs. */
export type ConfigScope = Role | 'cli';
