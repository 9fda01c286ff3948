import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import type { Drain } from './drain.js';

/** How often idle keep-alive connections are swept while draining. */
const IDLE_SWEEP_MS = 100;

/**
 * Drains an HTTP server: no new connections, every request already received is answered, and
 * keep-alive connections are closed as soon as they fall idle (a keep-alive client would
 * otherwise hold `server.close()` open until its idle timeout).
 */
export class HttpDrain implements Drain {
  private readonly logger = new Logger(HttpDrain.name);
  private readonly inFlight = new Set<ServerResponse>();
  private draining = false;

  constructor(private readonly server: Server) {
    // First listener: the header must be set before a route can answer synchronously.
    server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) =>
      this.track(res),
    );
  }

  describe(): string {
    const n = this.inFlight.size;
    return `${n} HTTP request${n === 1 ? '' : 's'} in flight`;
  }

  drain(): Promise<void> {
    this.draining = true;
    for (const res of this.inFlight) this.closeAfter(res);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    this.logger.log(`stopped accepting connections; ${this.describe()}`);
    const sweep = setInterval(() => this.server.closeIdleConnections(), IDLE_SWEEP_MS);
    return closed.finally(() => {
      clearInterval(sweep);
      this.logger.log('every request answered, every connection closed');
    });
  }

  force(): void {
    this.server.closeAllConnections();
  }

  private track(res: ServerResponse): void {
    // A request that arrives on a kept-alive connection during the drain is still served.
    if (this.draining) this.closeAfter(res);
    this.inFlight.add(res);
    res.once('close', () => this.inFlight.delete(res));
  }

  /** Tells the client not to reuse the connection, so Node closes it after this response. */
  private closeAfter(res: ServerResponse): void {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  }
}
