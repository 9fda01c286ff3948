import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { WATCH_QUEUE } from '../watcher/watch.constants.js';
import { SYNC_QUEUE } from './sync.constants.js';

/** Every Caseboard queue, for Bull Board, readiness and the queue metrics. */
@Injectable()
export class QueueRegistry {
  constructor(
    @InjectQueue(SYNC_QUEUE) private readonly sync: Queue,
    @InjectQueue(WATCH_QUEUE) private readonly watch: Queue,
  ) {}

  all(): Queue[] {
    return [this.sync, this.watch];
  }
}
