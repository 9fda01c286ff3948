import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { SnapshotStore } from '../store/snapshot.store.js';
import { SNAPSHOT_JOB, SYNC_QUEUE } from './sync.constants.js';

@Processor(SYNC_QUEUE)
export class SnapshotProcessor {
  private readonly logger = new Logger(SnapshotProcessor.name);

  constructor(private readonly snapshots: SnapshotStore) {}

  @Process({ name: SNAPSHOT_JOB, concurrency: 1 })
  async handle(): Promise<{ date: string; accounts: number }> {
    const snapshot = await this.snapshots.take();
    this.logger.log(`backlog snapshot for ${snapshot.date} recorded`);
    return { date: snapshot.date, accounts: Object.keys(snapshot.openByAccount).length };
  }
}
