import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ForbiddenException } from '@nestjs/common';
import { QUEUE_BOARD_ROUTE } from '../../ops/queue-board/queue-board.route.js';
import { acceptsBearer } from '../request-context.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Posted by the IdP, not by our forms; protected by the SAML request-ID check instead. */
const EXEMPT = new Set(['/login/callback', '/logout/callback']);

/** The session's CSRF token, created on first use; forms embed it, fetch sends it as a header. */
export function csrfToken(req: Request): string {
  if (!req.session) return '';
  req.session.csrfToken ??= randomBytes(24).toString('base64url');
  return req.session.csrfToken;
}

function sameOrigin(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function matches(expected: string | undefined, given: unknown): boolean {
  if (!expected || typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

/**
 * Synchronizer-token CSRF defence for every state-changing request made with the session
 * cookie. Bearer-token calls carry no ambient credential, so they need none.
 */
export function csrfProtection(req: Request, _res: Response, next: NextFunction): void {
  // Only where a bearer token really authenticates (the API) does it replace the cookie.
  const bearer = req.headers.authorization?.startsWith('Bearer ') === true && acceptsBearer(req);
  if (SAFE.has(req.method) || EXEMPT.has(req.path) || bearer) {
    return next();
  }
  // Bull Board's prebuilt UI cannot send our token; its API takes same-origin requests only,
  // which browsers say in headers a page on another site cannot set.
  if (req.originalUrl.startsWith(`${QUEUE_BOARD_ROUTE}/api/`)) {
    return sameOrigin(req) ? next() : next(new ForbiddenException('Cross-site request refused'));
  }
  const body = req.body as Record<string, unknown> | undefined;
  const given = req.headers['x-csrf-token'] ?? body?._csrf;
  if (!matches(req.session?.csrfToken, given)) {
    return next(
      new ForbiddenException('Missing or invalid CSRF token; reload the page and try again'),
    );
  }
  next();
}
