import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import type { Drain } from './drain.js';
import { installGracefulShutdown } from './graceful-shutdown.js';
import { ShutdownState } from './shutdown-state.js';

const SIGNAL: NodeJS.Signals = 'SIGUSR2';

class FakeDrain implements Drain {
  interruptAt?: number;
  drains = 0;
  forced = false;
  private release!: () => void;
  private readonly done = new Promise<void>((resolve) => (this.release = resolve));

  constructor(private readonly label: string) {}

  describe(): string {
    return this.label;
  }
  drain(interruptAt: number): Promise<void> {
    this.drains++;
    this.interruptAt = interruptAt;
    return this.done;
  }
  force(): void {
    this.forced = true;
  }
  finish(): void {
    this.release();
  }
}

function harness(drains: Drain[], timeoutMs: number, close: () => Promise<void>) {
  const lines: string[] = [];
  const events: string[] = [];
  const logger: LoggerService = {
    log: (m: string) => lines.push(`log ${m}`),
    warn: (m: string) => lines.push(`warn ${m}`),
    error: (m: string) => lines.push(`error ${m}`),
  };
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const state = new ShutdownState();
  const app = {
    close: async () => {
      events.push('close');
      await close();
    },
  } as unknown as INestApplicationContext;
  const uninstall = installGracefulShutdown({
    app,
    state,
    drains,
    timeoutMs,
    logger,
    signals: [SIGNAL],
    exit: (code) => {
      events.push(`exit ${code}`);
      resolveExit(code);
    },
  });
  return { lines, events, exited, state, uninstall };
}

describe('installGracefulShutdown', () => {
  let uninstall: (() => void) | undefined;
  afterEach(() => uninstall?.());

  it('should drain everything, then close the app, then exit 0', async () => {
    const web = new FakeDrain('2 HTTP requests in flight');
    const worker = new FakeDrain('1 sync job running');
    const h = harness([web, worker], 10_000, () => Promise.resolve());
    uninstall = h.uninstall;
    const before = Date.now();
    process.emit(SIGNAL);
    expect(h.state.shuttingDown).toBe(true);
    web.finish();
    await new Promise((r) => setImmediate(r));
    expect(h.events).toEqual([]);
    worker.finish();
    expect(await h.exited).toBe(0);
    expect(h.events).toEqual(['close', 'exit 0']);
    // Work gets 80 % of the timeout before it is interrupted; the rest is for closing.
    expect(worker.interruptAt).toBeGreaterThanOrEqual(before + 8000);
    expect(worker.interruptAt).toBeLessThanOrEqual(Date.now() + 8000);
    expect(h.lines[0]).toBe(
      `log ${SIGNAL}: draining, 2 HTTP requests in flight, 1 sync job running; exiting within 10000 ms`,
    );
    expect(h.lines.at(-1)).toMatch(/^log shut down cleanly in \d+ ms$/);
  });

  it('should force what is left and exit 1 when the timeout passes', async () => {
    const stuck = new FakeDrain('1 HTTP request in flight');
    const h = harness([stuck], 50, () => Promise.resolve());
    uninstall = h.uninstall;
    process.emit(SIGNAL);
    expect(await h.exited).toBe(1);
    expect(stuck.forced).toBe(true);
    expect(h.events).toEqual(['exit 1']);
    expect(h.lines).toContain(
      'error shutdown timeout of 50 ms passed with 1 HTTP request in flight: dropping it and exiting',
    );
  });

  it('should start one drain only when the signal comes again', async () => {
    const drain = new FakeDrain('1 sync job running');
    const h = harness([drain], 10_000, () => Promise.resolve());
    uninstall = h.uninstall;
    process.emit(SIGNAL);
    process.emit(SIGNAL);
    expect(drain.drains).toBe(1);
    expect(h.lines).toContain(`warn ${SIGNAL} again: already shutting down (1 sync job running)`);
    drain.finish();
    expect(await h.exited).toBe(0);
  });

  it('should exit 1 when closing the app fails', async () => {
    const drain = new FakeDrain('nothing');
    const h = harness([drain], 10_000, () => Promise.reject(new Error('redis gone')));
    uninstall = h.uninstall;
    process.emit(SIGNAL);
    drain.finish();
    expect(await h.exited).toBe(1);
    expect(h.lines).toContain('error shutdown failed: redis gone');
  });
});
