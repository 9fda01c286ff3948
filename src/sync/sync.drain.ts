import { Injectable, Logger } from '@nestjs/common';
import type { Drain } from '../ops/lifecycle/drain.js';
import { QueueRegistry } from './queue.registry.js';
import { SyncInterruptedError } from './sync.errors.js';

/**
 * The worker's part of a graceful shutdown: stop taking jobs, let the running ones finish, and
 * interrupt those still running at the interrupt point. An interrupted sync has written nothing
 * (it applies in one transaction at its end) and its job goes back to the queue.
 */
@Injectable()
export class SyncDrain implements Drain {
  private readonly logger = new Logger(SyncDrain.name);
  private readonly running = new Map<string, AbortController>();
  private interrupting = false;

  constructor(private readonly queues: QueueRegistry) {}

  /** Registers a starting job; its run must stop when the signal aborts. */
  start(owner: string): AbortSignal {
    const controller = new AbortController();
    this.running.set(owner, controller);
    // A job fetched just as the pause began must not outlive the interrupt point either.
    if (this.interrupting) controller.abort(new SyncInterruptedError(owner));
    return controller.signal;
  }

  finish(owner: string): void {
    this.running.delete(owner);
  }

  describe(): string {
    const n = this.running.size;
    return `${n} sync job${n === 1 ? '' : 's'} running`;
  }

  async drain(interruptAt: number): Promise<void> {
    // Pausing locally without waiting cuts the blocking fetch of every queue (sync and watch),
    // so no job arrives after this and closing the queues does not wait on a blocked fetch.
    const queues = this.queues.all();
    await Promise.all(queues.map((queue) => queue.pause(true, true)));
    this.logger.log(`stopped taking jobs; ${this.describe()}`);
    // Resolves once this process's active jobs have settled in Redis (completed or requeued);
    // watch runs are short and only ever wait, syncs can be interrupted.
    const settled = Promise.all(queues.map((queue) => queue.whenCurrentJobsFinished())).then(
      () => true,
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, interruptAt - Date.now()));
    });
    const finished = await Promise.race([settled, late]);
    clearTimeout(timer);
    if (!finished) {
      this.logger.warn(`interrupting ${this.describe()}; their jobs go back to the queue`);
      this.interruptAll();
      await settled;
    }
    this.logger.log('no job running');
  }

  force(): void {
    this.interruptAll();
  }

  private interruptAll(): void {
    this.interrupting = true;
    for (const [owner, controller] of this.running) {
      controller.abort(new SyncInterruptedError(owner));
    }
  }
}
