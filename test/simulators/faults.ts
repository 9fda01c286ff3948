/** One served (or dropped) request, as the simulator saw it. */
export interface RequestLogEntry {
  method: string;
  /** URL pathname, e.g. `/apirest.php/search/Ticket`. */
  path: string;
  /** Raw query string without the leading `?` (empty when none). */
  query: string;
  /** HTTP status sent; 0 while pending or when the request was never answered (timeout, reset). */
  status: number;
  /** Arrival time (epoch ms). */
  at: number;
  /** Kind of the fault rule that fired on this request, if any. */
  fault?: string;
}

export type FaultKind =
  | 'status500'
  | 'timeout'
  | 'slow'
  | 'reset'
  | 'rate-limit'
  | 'malformed-json'
  | 'expire-session'
  | 'bad-credentials'
  | 'change-between-pages';

export const FAULT_KINDS: readonly FaultKind[] = [
  'status500',
  'timeout',
  'slow',
  'reset',
  'rate-limit',
  'malformed-json',
  'expire-session',
  'bad-credentials',
  'change-between-pages',
];

/**
 * A scripted failure.
 * - `path`: matched against the URL pathname (string = exact match, RegExp = `test`); default any.
 * - `method`: case-insensitive; default any.
 * - `after`: let the first N matching requests through untouched, then fire.
 * - `times`: how many requests the rule fires on (default 1; `Infinity` for every one).
 * - `delayMs` (`slow`, default 1000), `retryAfterSeconds` (`rate-limit`, default 1),
 *   `count` (`change-between-pages`, default 3).
 */
export interface FaultRule {
  kind: FaultKind;
  path?: string | RegExp;
  method?: string;
  times?: number;
  after?: number;
  delayMs?: number;
  retryAfterSeconds?: number;
  count?: number;
}

interface ArmedRule {
  rule: FaultRule;
  skipped: number;
  remaining: number;
}

/** Which kinds a request can receive: simulators exclude kinds meaningless for an endpoint. */
export type FaultApplicability = (kind: FaultKind) => boolean;

/**
 * Ordered list of fault rules shared by one simulator's request pipeline. For each request the
 * first matching rule that has finished its `after` skips fires (and is used up after `times`);
 * matching rules still in their `after` phase that precede it count the request as skipped.
 */
export class FaultPlan {
  private rules: ArmedRule[] = [];

  add(rule: FaultRule): void {
    if (!FAULT_KINDS.includes(rule.kind)) {
      throw new Error(`unknown fault kind: ${String(rule.kind)}`);
    }
    const times = rule.times ?? 1;
    if (!(times > 0)) throw new Error('fault times must be > 0');
    this.rules.push({ rule, skipped: 0, remaining: times });
  }

  clear(): void {
    this.rules = [];
  }

  /** Rules that can still fire. */
  get pending(): number {
    return this.rules.length;
  }

  /** Returns the rule firing on this request, consuming one of its `times`. */
  take(method: string, path: string, applies: FaultApplicability): FaultRule | undefined {
    for (const armed of this.rules) {
      const { rule } = armed;
      if (!applies(rule.kind) || !matches(rule, method, path)) continue;
      if (armed.skipped < (rule.after ?? 0)) {
        armed.skipped++;
        continue;
      }
      armed.remaining--;
      if (armed.remaining <= 0) this.rules = this.rules.filter((r) => r !== armed);
      return rule;
    }
    return undefined;
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.path === undefined) return true;
  if (typeof rule.path === 'string') return rule.path === path;
  rule.path.lastIndex = 0;
  return rule.path.test(path);
}
