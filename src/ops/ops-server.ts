import { createServer, type Server } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ReadinessService } from './health/readiness.service.js';
import { CaseboardMetrics } from './metrics/caseboard-metrics.js';
import { metricsAccess } from './metrics/metrics-access.js';

/**
 * Worker and scheduler processes have no web server: each opens this small one on METRICS_PORT
 * so Prometheus scrapes every replica on its own and orchestrators can probe it.
 */
@Injectable()
export class OpsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OpsServer.name);
  private server: Server | undefined;

  constructor(
    private readonly metrics: CaseboardMetrics,
    private readonly readiness: ReadinessService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { host, port } = this.config.metrics;
    const server = createServer((req, res) => {
      this.answer(req.method ?? 'GET', req.url ?? '/', req.headers.authorization)
        .then(({ status, type, body }) => {
          res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
        })
        .catch((error: unknown) => {
          this.logger.error(`ops endpoint failed: ${String(error)}`);
          res.writeHead(500, { 'Content-Type': 'text/plain' }).end('internal error\n');
        });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    this.logger.log(`metrics and health on http://${host}:${port} (/metrics, /health/ready)`);
  }

  private async answer(
    method: string,
    url: string,
    authorization: string | undefined,
  ): Promise<{ status: number; type: string; body: string }> {
    const json = (status: number, value: unknown) => ({
      status,
      type: 'application/json; charset=utf-8',
      body: JSON.stringify(value),
    });
    if (method !== 'GET' && method !== 'HEAD') return json(405, { message: 'Use GET' });
    const path = url.split('?')[0];
    if (path === '/health/live') return json(200, { status: 'ok' });
    if (path === '/health/ready') {
      const { ready, result } = await this.readiness.check();
      return json(ready ? 200 : 503, result);
    }
    if (path === '/metrics') {
      const access = metricsAccess(this.config.metrics.token, authorization);
      if (access === 'disabled')
        return json(404, { message: 'Metrics are off: set METRICS_TOKEN to turn them on' });
      if (access === 'unauthorized') return json(401, { message: 'Metrics need the bearer token' });
      const { contentType, body } = await this.metrics.expose();
      return { status: 200, type: contentType, body };
    }
    return json(404, { message: 'Not found' });
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
  }
}
