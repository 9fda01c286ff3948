import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** What a caller may send as its own X-Request-Id (anything else is replaced, never logged). */
const ACCEPTED = /^[A-Za-z0-9._:-]{8,64}$/;

/** pino-http types `id` on every request; ours is always a string. */
export type RequestWithId = Pick<Request, 'headers'> & { id?: unknown };

/** The request's id: the caller's X-Request-Id when it looks like one, else a new UUID. */
export function requestIdOf(req: RequestWithId): string {
  if (typeof req.id === 'string') return req.id;
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && ACCEPTED.test(given) ? given : randomUUID();
}

/** First middleware: every request gets an id, echoed in X-Request-Id and carried into logs and jobs. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const id = requestIdOf(req);
  req.id = id;
  res.setHeader('X-Request-Id', id);
  next();
}
