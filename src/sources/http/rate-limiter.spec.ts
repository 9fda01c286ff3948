import { RateLimiter } from './rate-limiter.js';

async function elapsedMs(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

describe(RateLimiter.name, () => {
  it('should space sequential acquires at the configured rate', async () => {
    const limiter = new RateLimiter(50);
    // 5 starts at 50/s are 20 ms apart: the fifth starts 80 ms after the first.
    const elapsed = await elapsedMs(async () => {
      for (let i = 0; i < 5; i++) await limiter.acquire();
    });
    expect(elapsed).toBeGreaterThanOrEqual(70);
  });

  it('should space concurrent acquires too', async () => {
    const limiter = new RateLimiter(50);
    const started = performance.now();
    const times = await Promise.all(
      Array.from({ length: 5 }, () => limiter.acquire().then(() => performance.now() - started)),
    );
    times.sort((a, b) => a - b);
    expect(times[4]).toBeGreaterThanOrEqual(70);
    expect(times[4] - times[0]).toBeGreaterThanOrEqual(70);
  });

  it('should not wait when unlimited', async () => {
    const limiter = new RateLimiter(0);
    const elapsed = await elapsedMs(async () => {
      for (let i = 0; i < 100; i++) await limiter.acquire();
    });
    expect(elapsed).toBeLessThan(50);
  });

  it('should let the first acquire through at once', async () => {
    const limiter = new RateLimiter(1);
    expect(await elapsedMs(() => limiter.acquire())).toBeLessThan(50);
  });

  it('should stop waiting when aborted', async () => {
    const limiter = new RateLimiter(1);
    await limiter.acquire();
    const reason = new Error('cancelled');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 10);
    const started = performance.now();
    await expect(limiter.acquire(controller.signal)).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
