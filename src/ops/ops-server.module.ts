import { Module } from '@nestjs/common';
import { HealthModule } from './health/health.module.js';
import { OpsServer } from './ops-server.js';

/** Metrics and health on their own port, for processes without the web role. */
@Module({
  imports: [HealthModule],
  providers: [OpsServer],
})
export class OpsServerModule {}
