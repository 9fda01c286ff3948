import { Controller, Get } from '@nestjs/common';

/** Liveness only: the process answers. Readiness with Redis and queue checks comes with ops. */
@Controller('health')
export class LiveController {
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
