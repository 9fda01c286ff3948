import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

/** Probes and scrapes every few seconds would drown the access log. */
const QUIET = /^\/(health\/|metrics$|static\/|vendor\/)/;

type Level = 'info' | 'warn' | 'error';

function levelOf(res: Response, aborted: boolean): Level {
  if (aborted || res.statusCode >= 500) return 'error';
  return res.statusCode >= 400 ? 'warn' : 'info';
}

/**
 * One access line per request, written when the response is finished (or the connection
 * closed first): `{ req: { id, method, url }, res: { statusCode }, responseTime }`. Nothing
 * is built per request beyond a start time and one listener; the line's objects only when its
 * level is enabled. The URL goes through the logger's `req` serializer, which redacts secret
 * query parameters.
 */
export function accessLogMiddleware(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (QUIET.test(req.url)) return next();
    const started = Date.now();
    const done = () => {
      res.removeListener('close', done);
      res.removeListener('finish', done);
      const aborted = !res.writableFinished;
      const level = levelOf(res, aborted);
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        { req, res, responseTime: Date.now() - started },
        aborted ? 'request aborted' : level === 'error' ? 'request errored' : 'request completed',
      );
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
