import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../auth/casl/policy.decorator.js';
import { ReadinessService } from './readiness.service.js';

/** Probes for orchestrators and load balancers: open to all, say nothing about the data. */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** The process answers; never depends on Redis (a restart would not help). */
  @Public()
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Public()
  @Get('ready')
  async ready(@Res() res: Response): Promise<void> {
    const { ready, result } = await this.readiness.check();
    res.setHeader('Cache-Control', 'no-store');
    res.status(ready ? 200 : 503).json(result);
  }
}
