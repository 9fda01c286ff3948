import { Module } from '@nestjs/common';
import { QueueModule } from './queue.module.js';
import { WatchSchedulerModule } from '../watcher/watcher.module.js';
import { SyncScheduler } from './sync.scheduler.js';

/** Registers cron schedules; only enqueues. */
@Module({
  imports: [QueueModule, WatchSchedulerModule],
  providers: [SyncScheduler],
})
export class SchedulerModule {}
