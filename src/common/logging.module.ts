import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { pino, stdSerializers, type Logger as PinoRoot } from 'pino';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { REDACT_PATHS, REDACTED, redactUrl } from './log-redaction.js';

/** The process's root pino logger: what Nest's Logger writes to and the access log uses. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

export function createRootLogger(config: Pick<AppConfig, 'logLevel' | 'roles'>): PinoRoot {
  return pino({
    level: config.logLevel,
    base: { app: 'caseboard', roles: config.roles.join(',') },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: {
      req: (req: { id: unknown; method: string; url: string; originalUrl?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.originalUrl ?? req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: stdSerializers.err,
    },
  });
}

/**
 * JSON logs (pino) for every role. nestjs-pino adapts Nest's Logger to the root logger; its
 * per-request middleware is left out (forRoutes: []): it built a child logger per request and
 * ran every request in an AsyncLocalStorage, which made each promise pay for async hooks. The
 * web role's access log is src/common/access-log.ts; logs written while serving a request name
 * its id themselves (the error filter does). Secrets are redacted by path and from URLs.
 */
@Module({
  providers: [
    {
      provide: ROOT_LOGGER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createRootLogger(config),
    },
  ],
  exports: [ROOT_LOGGER],
})
class RootLoggerModule {}

@Module({
  imports: [
    RootLoggerModule,
    LoggerModule.forRootAsync({
      imports: [RootLoggerModule],
      inject: [ROOT_LOGGER],
      useFactory: (logger: PinoRoot) => ({
        pinoHttp: { logger },
        useExisting: true,
        forRoutes: [],
      }),
    }),
  ],
  exports: [RootLoggerModule],
})
export class LoggingModule {}
