import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/casl/policy.decorator.js';

/** Liveness only: the process answers. Readiness with Redis and queue checks comes with ops. */
@ApiExcludeController()
@Controller('health')
export class LiveController {
  @Public()
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
