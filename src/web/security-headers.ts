import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

type HeaderMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Helmet's headers, worked out once. Our helmet configuration has no per-request parts (no
 * nonces, no directive functions), so its dozen chained middlewares would set the same values
 * on every response: run it once against a recording response and replay what it set.
 */
export function securityHeaders(helmet: HeaderMiddleware) {
  const set: [string, string | number | readonly string[]][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      set.push([name, value]);
      return recorder;
    },
    removeHeader: (name: string) => removed.push(name),
  };
  let failure: unknown;
  let finished = false;
  helmet({ headers: {} } as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    failure = error;
    finished = true;
  });
  // Helmet is synchronous today; if it ever is not, recording would silently miss headers.
  if (!finished) throw new Error('helmet did not finish synchronously; cannot precompute headers');
  if (failure) throw failure as Error;
  return (_req: Request, res: Response, next: NextFunction): void => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}
