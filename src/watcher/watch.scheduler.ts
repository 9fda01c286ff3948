import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import {
  WATCH_JOB,
  WATCH_JOB_OPTIONS,
  WATCH_QUEUE,
  WATCH_REPEAT_JOB_ID,
} from './watch.constants.js';

/**
 * Registers the watcher's repeatable job from WATCH_CRON when a channel is configured (SMTP_URL
 * or SLACK_WEBHOOK_URL); removes schedules this configuration no longer wants. Only enqueues.
 */
@Injectable()
export class WatchScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(WatchScheduler.name);

  constructor(
    @InjectQueue(WATCH_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.register();
  }

  async register(): Promise<void> {
    const { cron, cronTimeZone: tz, email, slack } = this.config.watch;
    const enabled = Boolean(email || slack);
    if (enabled) {
      await this.queue.add(
        WATCH_JOB,
        {},
        { ...WATCH_JOB_OPTIONS, jobId: WATCH_REPEAT_JOB_ID, repeat: { cron, tz } },
      );
    }
    for (const job of await this.queue.getRepeatableJobs()) {
      const wanted =
        enabled && job.id === WATCH_REPEAT_JOB_ID && job.cron === cron && (job.tz ?? tz) === tz;
      if (job.name === WATCH_JOB && !wanted) await this.queue.removeRepeatableByKey(job.key);
    }
    this.logger.log(
      enabled
        ? `case watcher scheduled (${cron}, ${tz})`
        : 'case watcher off: set SMTP_URL or SLACK_WEBHOOK_URL to enable it',
    );
  }
}
