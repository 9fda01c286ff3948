import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { SignInRequiredException } from '../auth/casl/access.guard.js';
import { wantsJson } from '../auth/request-context.js';
import { requestIdOf } from './request-id.js';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign-in required',
  403: 'Forbidden',
  404: 'Not found',
  429: 'Too many requests',
  500: 'Something went wrong',
};

/**
 * One place decides how errors look: JSON `{ statusCode, message, correlationId }` for the API,
 * an error page in the layout for browsers; never a stack trace. Anonymous browsers are sent to
 * the login page and come back where they were.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    if (res.headersSent) return;
    const status =
      exception instanceof HttpException ? exception.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
    const correlationId = requestIdOf(req);
    let message = 'Internal error';
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const raw = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      message = Array.isArray(raw)
        ? raw.join('; ')
        : typeof raw === 'string'
          ? raw
          : exception.message;
    }
    if (status >= 500) {
      this.logger.error(
        `${req.method} ${req.path} failed [${correlationId}]: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`,
      );
    }
    if (wantsJson(req)) {
      res.status(status).json({
        statusCode: status,
        message: status >= 500 ? 'Internal error' : message,
        correlationId,
      });
      return;
    }
    if (exception instanceof SignInRequiredException && req.method === 'GET') {
      res.redirect(303, `/login?returnTo=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    res.status(status).render('error', {
      status,
      title: TITLES[status] ?? `Error ${status}`,
      message:
        status >= 500 ? `An unexpected error occurred (reference ${correlationId}).` : message,
      user: req.session?.user,
    });
  }
}
