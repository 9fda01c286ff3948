import { RedisStore } from 'connect-redis';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { WebConfig } from '../../config/app-config.js';
import type { RedisFactory } from '../../store/redis.factory.js';

/**
 * Sessions live in Redis so any web replica serves any user. The cookie is HttpOnly,
 * SameSite=Lax and Secure on https; it expires after the idle time (renewed on each request)
 * and the session ends at the absolute limit however active it is.
 */
export function sessionMiddleware(
  web: WebConfig,
  redis: RedisFactory,
  keyPrefix: string,
): [RequestHandler, RequestHandler] {
  const store = new RedisStore({
    client: redis.create('aux'),
    prefix: `${keyPrefix}sess:`,
    ttl: Math.ceil(web.sessionIdleMs / 1000),
  });
  const handler = session({
    name: 'caseboard.sid',
    secret: web.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: web.secureCookies,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: web.secureCookies,
      maxAge: web.sessionIdleMs,
      path: '/',
    },
  });
  const absoluteLimit = (req: Request, _res: Response, next: NextFunction) => {
    const signedInAt = req.session?.signedInAt;
    if (req.session?.user && signedInAt && Date.now() - signedInAt > web.sessionAbsoluteMs) {
      return req.session.regenerate((error) => next(error));
    }
    next();
  };
  return [handler, absoluteLimit];
}
