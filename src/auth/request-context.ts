import type { Request } from 'express';
import type { CaseAbility } from './casl/case-ability.js';
import type { SessionUser } from './session-user.js';

/** What the access guard attaches to a request. */
export interface AuthedRequest extends Request {
  caseboardUser?: SessionUser;
  ability?: CaseAbility;
}

/** JSON callers (the API, scripts) get JSON errors; browsers get pages. */
export function wantsJson(req: Request): boolean {
  return (
    req.path.startsWith('/api/') || req.path === '/api' || req.path.startsWith('/admin/queues/api')
  );
}

/** Bearer tokens are for scripts: the API, and Bull Board for admin tokens. */
export function acceptsBearer(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path.startsWith('/admin/queues');
}
