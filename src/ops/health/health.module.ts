import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { QueueModule } from '../../sync/queue.module.js';
import { ReadinessService } from './readiness.service.js';

/** Readiness checks, shared by the web role's /health routes and the ops port of other roles. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), QueueModule],
  providers: [ReadinessService],
  exports: [ReadinessService],
})
export class HealthModule {}
