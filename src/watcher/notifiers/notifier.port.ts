import type { Finding } from '../watch-rules.js';

/** One digest for one destination: a mail address or a Slack channel. */
export interface Delivery {
  /** Stable id of the destination, e.g. `email:ops@example.com`, `slack:#support`, `slack:`. */
  target: string;
  findings: Finding[];
}

/** A notification channel. `send` throws on failure; the caller retries and records it. */
export interface Notifier {
  readonly channel: 'email' | 'slack';
  /** Groups the findings by destination. */
  route(findings: Finding[]): Delivery[];
  /** What `send` would deliver, for --dry-run. */
  preview(delivery: Delivery, generatedAt: Date): string;
  send(delivery: Delivery, generatedAt: Date): Promise<void>;
  /** Whether a failure is worth retrying now (a rejected address is not). */
  isTransient(error: unknown): boolean;
}

export const NOTIFIERS = Symbol('NOTIFIERS');

/** Groups findings by the destinations `destinationsOf` gives each, destinations sorted. */
export function groupByTarget(
  findings: Finding[],
  prefix: string,
  destinationsOf: (f: Finding) => string[],
): Delivery[] {
  const byTarget = new Map<string, Finding[]>();
  for (const finding of findings) {
    for (const destination of destinationsOf(finding)) {
      const target = `${prefix}:${destination}`;
      byTarget.set(target, [...(byTarget.get(target) ?? []), finding]);
    }
  }
  return [...byTarget.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([target, list]) => ({ target, findings: list }));
}
