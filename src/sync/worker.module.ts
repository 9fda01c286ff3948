import { Module } from '@nestjs/common';
import { SourcesModule } from '../sources/sources.module.js';
import { QueueModule } from './queue.module.js';
import { WatchWorkerModule } from '../watcher/watcher.module.js';
import { SnapshotProcessor } from './snapshot.processor.js';
import { SyncDrain } from './sync.drain.js';
import { SyncProcessor } from './sync.processor.js';
import { SyncService } from './sync.service.js';

/** Runs sync jobs. */
@Module({
  imports: [SourcesModule, QueueModule, WatchWorkerModule],
  providers: [SyncService, SyncProcessor, SnapshotProcessor, SyncDrain],
  exports: [SyncService, SyncDrain],
})
export class WorkerModule {}

/** In-process syncs for the CLI: the same service, no queue. */
@Module({
  imports: [SourcesModule],
  providers: [SyncService],
  exports: [SyncService],
})
export class SyncRunnerModule {}
