import { Module } from '@nestjs/common';
import { QueueModule } from '../../sync/queue.module.js';
import { StatusService } from './status.service.js';
import { SyncNowService } from './sync-now.service.js';

/**
 * Builds the status model and starts manual syncs. The web module registers the controller,
 * since the pages' layout (PageModelService) lives there and reads "data as of" from here.
 */
@Module({
  imports: [QueueModule],
  providers: [StatusService, SyncNowService],
  exports: [StatusService, SyncNowService],
})
export class StatusModule {}
