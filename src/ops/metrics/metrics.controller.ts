import {
  Controller,
  Get,
  Headers,
  Inject,
  NotFoundException,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../auth/casl/policy.decorator.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { CaseboardMetrics } from './caseboard-metrics.js';
import { metricsAccess } from './metrics-access.js';

/** Prometheus scrapes carry no session: the endpoint has its own bearer token, METRICS_TOKEN. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: CaseboardMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const access = metricsAccess(this.config.metrics.token, authorization);
    if (access === 'disabled')
      throw new NotFoundException('Metrics are off: set METRICS_TOKEN to turn them on');
    if (access === 'unauthorized') throw new UnauthorizedException('Metrics need the bearer token');
    const { contentType, body } = await this.metrics.expose();
    res.setHeader('Cache-Control', 'no-store');
    res.type(contentType).send(body);
  }
}
