import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import hbs from 'hbs';
import passport from 'passport';
import type { Logger } from 'pino';
import { acceptsBearer } from '../auth/request-context.js';
import { csrfProtection } from '../auth/session/csrf.js';
import { sessionMiddleware } from '../auth/session/session.middleware.js';
import { accessLogMiddleware } from '../common/access-log.js';
import { ROOT_LOGGER } from '../common/logging.module.js';
import { requestIdMiddleware } from '../common/request-id.js';
import { securityHeaders } from './security-headers.js';
import { HttpExceptionFilter } from '../common/http-exception.filter.js';
import type { AppConfig } from '../config/app-config.js';
import { CaseboardMetrics } from '../ops/metrics/caseboard-metrics.js';
import { httpMetricsMiddleware } from '../ops/metrics/http-metrics.middleware.js';
import { QUEUE_BOARD_ROUTE } from '../ops/queue-board/queue-board.route.js';
import { RedisFactory } from '../store/redis.factory.js';
import { registerViewHelpers } from './view-helpers.js';

const ROOT = join(__dirname, '..', '..');
const modules = (path: string) => join(ROOT, 'node_modules', path);

/** Front-end libraries served from node_modules (the network is closed: no CDN). */
const VENDOR: Record<string, string> = {
  '/vendor/bootstrap': modules('bootstrap/dist/css'),
  '/vendor/datatables': modules('datatables.net/js'),
  '/vendor/datatables-dt': modules('datatables.net-dt/css'),
  '/vendor/chartjs': modules('chart.js/dist'),
};

/**
 * Everything between the socket and the controllers for the web role: security headers (a CSP
 * without inline scripts), compression, static assets, sessions in Redis, CSRF, views, and the
 * error filter. Tests build the app through this too.
 */
export function configureHttp(app: NestExpressApplication, config: AppConfig): void {
  const web = config.web;
  if (!web) throw new Error('the web role needs its configuration');
  const idpOrigin = new URL(web.saml.entryPoint).origin;
  app.disable('x-powered-by');
  // Every request passes the handful of middlewares below, so each one bails out early when it
  // has nothing to do: at a few thousand requests a second, every layer and closure shows.
  app.use(requestIdMiddleware);
  app.use(accessLogMiddleware(app.get<Logger>(ROOT_LOGGER)));
  app.use(httpMetricsMiddleware(app.get(CaseboardMetrics)));
  if (web.secureCookies) app.set('trust proxy', 1);
  const directives = {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'", idpOrigin],
    upgradeInsecureRequests: web.secureCookies ? [] : null,
  };
  const headers = (extra: Partial<typeof directives>) =>
    securityHeaders(
      helmet({
        contentSecurityPolicy: { useDefaults: false, directives: { ...directives, ...extra } },
        crossOriginEmbedderPolicy: false,
        referrerPolicy: { policy: 'same-origin' },
        hsts: web.secureCookies,
      }),
    );
  const pageHeaders = headers({});
  // Bull Board's prebuilt UI sets <base href> and inline styles; its scripts stay same-origin only.
  const boardHeaders = headers({ baseUri: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"] });
  app.use((req: Request, res: Response, next: NextFunction) =>
    (req.path.startsWith(QUEUE_BOARD_ROUTE) ? boardHeaders : pageHeaders)(req, res, next),
  );
  const compress = compression();
  // A client that accepts no encoding gets none anyway: spare it compression's wrapping.
  app.use((req: Request, res: Response, next: NextFunction) =>
    req.headers['accept-encoding'] ? compress(req, res, next) : next(),
  );
  const assets = express.Router();
  for (const [path, dir] of Object.entries(VENDOR)) {
    assets.use(
      path,
      express.static(dir, { immutable: true, maxAge: '7d', index: false, fallthrough: false }),
    );
  }
  assets.use(
    '/static',
    express.static(join(ROOT, 'public'), { maxAge: '1h', index: false, fallthrough: false }),
  );
  app.use((req: Request, res: Response, next: NextFunction) =>
    under(req.path, '/vendor') || under(req.path, '/static') ? assets(req, res, next) : next(),
  );
  const urlencoded = express.urlencoded({ extended: false, limit: '2mb' });
  const json = express.json({ limit: '100kb' });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!mayHaveBody(req)) return next();
    urlencoded(req, res, (error?: unknown) => (error ? next(error) : json(req, res, next)));
  });
  // Scripts with a bearer token and health probes carry no session: spare them the session work.
  const sessionless = (req: Request) =>
    req.path === '/health/live' ||
    req.path === '/health/ready' ||
    req.path === '/metrics' ||
    (req.headers.authorization?.startsWith('Bearer ') === true && acceptsBearer(req));
  const [session, absoluteLimit] = sessionMiddleware(
    web,
    app.get(RedisFactory),
    config.redis.keyPrefix,
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (sessionless(req)) return next();
    session(req, res, (error?: unknown) => (error ? next(error) : absoluteLimit(req, res, next)));
  });
  const initializePassport = passport.initialize();
  app.use((req: Request, res: Response, next: NextFunction) =>
    under(req.path, '/login') || under(req.path, '/logout')
      ? initializePassport(req, res, next)
      : next(),
  );
  app.use(csrfProtection);
  app.setBaseViewsDir(join(ROOT, 'views'));
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  hbs.registerPartials(join(ROOT, 'views', 'partials'));
  registerViewHelpers(hbs.handlebars);
  app.useGlobalFilters(new HttpExceptionFilter());
}

/** GET, HEAD and bodiless requests skip the body parsers (they would only find nothing). */
function mayHaveBody(req: Request): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  return req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== '0';
}

/** Whether `path` is `prefix` or below it, as an Express mount path matches. */
function under(path: string, prefix: string): boolean {
  return path.startsWith(prefix) && (path.length === prefix.length || path[prefix.length] === '/');
}
