import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { WATCH_JOB, WATCH_QUEUE } from './watch.constants.js';
import { WatchService, type WatchRunReport } from './watch.service.js';

/** Thin: one watcher pass per job. Delivery failures are in the report, not thrown. */
@Processor(WATCH_QUEUE)
export class WatchProcessor {
  private readonly logger = new Logger(WatchProcessor.name);

  constructor(private readonly watch: WatchService) {}

  @Process({ name: WATCH_JOB, concurrency: 1 })
  async handle(job: Job): Promise<WatchRunReport> {
    const report = await this.watch.run({ owner: `job:${String(job.id)}` });
    const failed = report.deliveries.filter((d) => d.state === 'failed').length;
    const sent = report.deliveries.filter((d) => d.state === 'sent').length;
    if (report.skipped) this.logger.log(`watch run skipped: ${report.skipped}`);
    else if (failed > 0) this.logger.warn(`watch run: ${sent} digest(s) sent, ${failed} failed`);
    else if (sent > 0) this.logger.log(`watch run: ${sent} digest(s) sent`);
    return report;
  }
}
