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
  const path = fullPath(req);
  return path.startsWith('/api/') || path === '/api' || path.startsWith('/admin/queues/api');
}

/** Bearer tokens are for scripts: the API, and Bull Board for admin tokens. */
export function acceptsBearer(req: Request): boolean {
  const path = fullPath(req);
  return path.startsWith('/api/') || path.startsWith('/admin/queues');
}

/** The path as the client sent it: `req.path` is relative inside mounted routers (Bull Board). */
function fullPath(req: Request): string {
  const url = req.originalUrl || req.url;
  const end = url.indexOf('?');
  return end === -1 ? url : url.slice(0, end);
}
