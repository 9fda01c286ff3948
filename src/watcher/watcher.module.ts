import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { QueueModule } from '../sync/queue.module.js';
import { EmailNotifier } from './notifiers/email.notifier.js';
import { NOTIFIERS, type Notifier } from './notifiers/notifier.port.js';
import { SlackNotifier } from './notifiers/slack.notifier.js';
import { WatchProcessor } from './watch.processor.js';
import { WatchScheduler } from './watch.scheduler.js';
import { WatchService } from './watch.service.js';
import { WatchStore } from './watch.store.js';

/** The configured notification channels, in a fixed order (email, then Slack). */
export function createNotifiers(config: AppConfig): Notifier[] {
  const { email, slack } = config.watch;
  return [email && new EmailNotifier(email), slack && new SlackNotifier(slack)].filter(
    (n): n is EmailNotifier | SlackNotifier => Boolean(n),
  );
}

/** One watcher pass, without a queue: used by the worker's processor and bin/case-watcher. */
@Module({
  providers: [
    WatchStore,
    WatchService,
    { provide: NOTIFIERS, inject: [APP_CONFIG], useFactory: createNotifiers },
  ],
  exports: [WatchService, WatchStore],
})
export class WatchRunnerModule {}

/** The `watch` queue (registered with every Caseboard queue in QueueModule). */
@Module({
  imports: [QueueModule],
  exports: [QueueModule],
})
export class WatchQueueModule {}

/** Worker role: runs watch jobs. */
@Module({
  imports: [WatchQueueModule, WatchRunnerModule],
  providers: [WatchProcessor],
})
export class WatchWorkerModule {}

/** Scheduler role: registers the WATCH_CRON repeatable job. */
@Module({
  imports: [WatchQueueModule],
  providers: [WatchScheduler],
})
export class WatchSchedulerModule {}
