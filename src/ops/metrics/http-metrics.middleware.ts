import type { NextFunction, Request, Response } from 'express';
import type { CaseboardMetrics } from './caseboard-metrics.js';

/**
 * Times every request and labels it with the route template Express matched (never the raw
 * path, which would make one series per case). Static files and 404s get fixed labels.
 */
export function httpMetricsMiddleware(metrics: CaseboardMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = metrics.httpDuration.startTimer();
    res.once('finish', () => {
      const template = (req.route as { path?: unknown } | undefined)?.path;
      const route =
        typeof template === 'string'
          ? req.baseUrl + template
          : res.statusCode < 400
            ? '(static)'
            : '(unmatched)';
      end({ method: req.method, route, status_code: String(res.statusCode) });
    });
    next();
  };
}
