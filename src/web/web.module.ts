import { Module } from '@nestjs/common';
import { LiveController } from '../ops/live.controller.js';
import { QueueModule } from '../sync/queue.module.js';

/** The HTTP role. Pages, API and login plug in here. */
@Module({
  imports: [QueueModule],
  controllers: [LiveController],
})
export class WebModule {}
