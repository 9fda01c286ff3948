import {
  FAULT_KINDS,
  type FaultKind,
  type FaultPlan,
  type FaultRule,
  type RequestLogEntry,
} from './faults.js';
import { isRecord, json, parseJsonBody, type Reply, type SimRequest } from './http-util.js';

/** What the control endpoints need from a simulator. */
export interface ControlTarget {
  readonly system: string;
  readonly url: string;
  readonly faults: FaultPlan;
  readonly requests: RequestLogEntry[];
  mutate(count: number): string[];
  remove(key: string): void;
  update(key: string, patch: never): void;
  stats(): object;
}

/**
 * `/_sim/*` endpoints for out-of-process control (the demo CLI). Never logged, never faulted.
 *
 * - `GET /_sim/health` → 200 `{status:"ok",system,url}`
 * - `GET /_sim/stats` → request counts by status, faults fired/pending
 * - `POST /_sim/faults` body = FaultRule; `path` as a string or `{"regex":"…","flags":"…"}`,
 *   `times` may be `"Infinity"` → 201 `{pending}`; `GET` → `{pending}`; `DELETE` clears
 * - `POST /_sim/mutate {"count":N}` → `{keys}`
 * - `POST /_sim/update {"key","patch"}`, `POST /_sim/remove {"key"}` → `{key}` (404 if unknown)
 * - `GET /_sim/requests` → `{requests}`; `DELETE /_sim/requests` clears the log
 */
export function handleControl(target: ControlTarget, req: SimRequest): Reply {
  const route = `${req.method} ${req.path.replace(/\/+$/, '')}`;
  const body = parseJsonBody(req.body);
  switch (route) {
    case 'GET /_sim/health':
      return json(200, { status: 'ok', system: target.system, url: target.url });
    case 'GET /_sim/stats':
      return json(200, target.stats());
    case 'GET /_sim/faults':
      return json(200, { pending: target.faults.pending });
    case 'POST /_sim/faults': {
      const rule = parseFaultRule(body);
      if (typeof rule === 'string') return json(400, { error: rule });
      target.faults.add(rule);
      return json(201, { pending: target.faults.pending });
    }
    case 'DELETE /_sim/faults':
      target.faults.clear();
      return json(200, { pending: 0 });
    case 'POST /_sim/mutate': {
      const count = isRecord(body) ? body.count : undefined;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
        return json(400, { error: 'body must be {"count": <non-negative integer>}' });
      }
      return json(200, { keys: target.mutate(count) });
    }
    case 'POST /_sim/update':
    case 'POST /_sim/remove': {
      const key = isRecord(body) ? body.key : undefined;
      if (typeof key !== 'string' && typeof key !== 'number') {
        return json(400, { error: 'body must carry a "key"' });
      }
      const patch = isRecord(body) && isRecord(body.patch) ? body.patch : {};
      try {
        if (route.endsWith('update')) target.update(String(key), patch as never);
        else target.remove(String(key));
      } catch (error) {
        return json(404, { error: error instanceof Error ? error.message : String(error) });
      }
      return json(200, { key: String(key) });
    }
    case 'GET /_sim/requests':
      return json(200, { requests: target.requests });
    case 'DELETE /_sim/requests':
      target.requests.length = 0;
      return json(200, { requests: [] });
    default:
      return json(404, { error: `no control endpoint ${route}` });
  }
}

/** Validates a JSON fault rule; returns an error message when invalid. */
export function parseFaultRule(body: unknown): FaultRule | string {
  if (!isRecord(body)) return 'body must be a JSON object';
  const kind = body.kind;
  if (typeof kind !== 'string' || !FAULT_KINDS.includes(kind as FaultKind)) {
    return `kind must be one of ${FAULT_KINDS.join(', ')}`;
  }
  const rule: FaultRule = { kind: kind as FaultKind };
  if (typeof body.path === 'string') rule.path = body.path;
  else if (isRecord(body.path) && typeof body.path.regex === 'string') {
    try {
      rule.path = new RegExp(
        body.path.regex,
        typeof body.path.flags === 'string' ? body.path.flags : '',
      );
    } catch {
      return 'path.regex is not a valid regular expression';
    }
  } else if (body.path !== undefined) return 'path must be a string or {"regex": "..."}';
  if (typeof body.method === 'string') rule.method = body.method;
  if (body.times === 'Infinity' || body.times === null) rule.times = Infinity;
  for (const name of ['times', 'after', 'delayMs', 'retryAfterSeconds', 'count'] as const) {
    const value = body[name];
    if (value === undefined || (name === 'times' && rule.times === Infinity)) continue;
    if (typeof value !== 'number' || !(value >= 0)) return `${name} must be a non-negative number`;
    rule[name] = value;
  }
  if (rule.times !== undefined && rule.times <= 0) return 'times must be > 0';
  return rule;
}
