import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import type { Drain } from './drain.js';
import type { ShutdownState } from './shutdown-state.js';

/** Share of the timeout given to work to finish on its own before it is interrupted. */
const FINISH_SHARE = 0.8;

export interface GracefulShutdownOptions {
  app: INestApplicationContext;
  state: ShutdownState;
  drains: Drain[];
  timeoutMs: number;
  logger: LoggerService;
  signals?: NodeJS.Signals[];
  exit?: (code: number) => void;
}

/**
 * On SIGTERM (or SIGINT): drain every kind of work, then close Nest (queues, Redis), then exit 0.
 * Past `timeoutMs` whatever is left is dropped and the process exits 1, so it never outlives an
 * orchestrator's grace period. Replaces Nest's shutdown hooks, which close Redis and the queues
 * before the HTTP server and would fail the very requests being drained. Returns a function
 * that removes the signal handlers again.
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): () => void {
  const { app, state, drains, timeoutMs, logger } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const inFlight = () => drains.map((d) => d.describe()).join(', ') || 'nothing in flight';

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (!state.begin()) {
      logger.warn(`${signal} again: already shutting down (${inFlight()})`, 'Shutdown');
      return;
    }
    const started = Date.now();
    logger.log(`${signal}: draining, ${inFlight()}; exiting within ${timeoutMs} ms`, 'Shutdown');
    const deadline = setTimeout(() => {
      logger.error(
        `shutdown timeout of ${timeoutMs} ms passed with ${inFlight()}: dropping it and exiting`,
        undefined,
        'Shutdown',
      );
      for (const d of drains) d.force();
      exit(1);
    }, timeoutMs);
    try {
      await Promise.all(drains.map((d) => d.drain(started + timeoutMs * FINISH_SHARE)));
      logger.log(`drained in ${Date.now() - started} ms; closing connections`, 'Shutdown');
      await app.close();
      clearTimeout(deadline);
      logger.log(`shut down cleanly in ${Date.now() - started} ms`, 'Shutdown');
      exit(0);
    } catch (error) {
      clearTimeout(deadline);
      logger.error(
        `shutdown failed: ${error instanceof Error ? error.message : String(error)}`,
        undefined,
        'Shutdown',
      );
      exit(1);
    }
  };

  const signals = options.signals ?? (['SIGTERM', 'SIGINT'] as NodeJS.Signals[]);
  const listeners = signals.map((signal) => {
    const listener = () => void shutdown(signal);
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}
