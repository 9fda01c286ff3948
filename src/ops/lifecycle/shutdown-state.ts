import { Injectable } from '@nestjs/common';

/**
 * Whether this process has begun its graceful shutdown. Readiness reads it so a draining web
 * replica leaves the load balancer while it finishes what it has.
 */
@Injectable()
export class ShutdownState {
  private startedAt: number | null = null;

  get shuttingDown(): boolean {
    return this.startedAt !== null;
  }

  /** Marks the start of the drain; false when it had already begun (a repeated signal). */
  begin(): boolean {
    if (this.startedAt !== null) return false;
    this.startedAt = Date.now();
    return true;
  }
}
