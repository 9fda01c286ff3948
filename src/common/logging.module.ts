import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { REDACT_PATHS, REDACTED, redactUrl } from './log-redaction.js';
import { requestIdOf, type RequestWithId } from './request-id.js';

/** Probes and scrapes every few seconds would drown the access log. */
const QUIET = /^\/(health\/|metrics$|static\/|vendor\/)/;

/**
 * JSON logs (pino) for every role; the web role adds one access line per request with its id.
 * Secrets are redacted by path and from URLs; no request or response bodies are logged.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          base: { app: 'caseboard', roles: config.roles.join(',') },
          redact: { paths: REDACT_PATHS, censor: REDACTED },
          genReqId: (req: IncomingMessage) => requestIdOf(req as RequestWithId),
          autoLogging: { ignore: (req: IncomingMessage) => QUIET.test(req.url ?? '') },
          customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
            error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
          // Ours read three fields of the raw objects; wrapped, each request would first be
          // copied into pino's standard shape (headers, parsed query and all) and then thrown away.
          wrapSerializers: false,
          serializers: {
            req: (req: { id: unknown; method: string; url: string; originalUrl?: string }) => ({
              id: req.id,
              method: req.method,
              url: redactUrl(req.originalUrl ?? req.url),
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            // Unwrapped serializers replace pino's defaults, so errors need theirs named.
            err: stdSerializers.err,
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
