import { createHash, timingSafeEqual } from 'node:crypto';

export type MetricsAccess = 'ok' | 'disabled' | 'unauthorized';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time; no token configured = off. */
export function metricsAccess(
  configured: string | undefined,
  authorization: string | undefined,
): MetricsAccess {
  if (!configured) return 'disabled';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return 'unauthorized';
  return timingSafeEqual(digest(match[1]), digest(configured)) ? 'ok' : 'unauthorized';
}
