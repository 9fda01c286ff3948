import { Logger } from '@nestjs/common';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

// The lease bookkeeping against a scripted Redis (its claims as the CLAIM script answers them);
// the script itself is tested against a real Redis in test/integration/api.

/** Grants what is asked until told to refuse; one-second windows unless set otherwise. */
function scriptedRedis() {
  const calls: { want: number; giveBack: number }[] = [];
  let minute = 0;
  let refusing = false;
  let secondMs = 1000;
  return {
    calls,
    minute: () => minute,
    refuse: () => (refusing = true),
    secondWindow: (ms: number) => (secondMs = ms),
    client: {
      eval: async (_script: string, _keys: number, ...args: (string | number)[]) => {
        const [want, giveBack] = [Number(args[5]), Number(args[6])];
        calls.push({ want, giveBack });
        minute -= giveBack;
        if (refusing) return Promise.resolve([minute, 60_000, 0, secondMs]);
        minute += want;
        return Promise.resolve([minute, 60_000, want, secondMs]);
      },
    },
  };
}

describe(RedisThrottlerStorage.name, () => {
  let clock = 0;
  /** A replica's storage over `client`, no burst limit, on the test's clock. */
  const storageOn = (client: { eval: (...args: never[]) => Promise<unknown> }) =>
    new RedisThrottlerStorage(
      () => client,
      'p:',
      0,
      () => clock,
    );
  const hit = (storage: RedisThrottlerStorage) =>
    storage.increment('u1', 60_000, 1_000_000, 60_000, 'api');

  beforeEach(() => (clock = 0));

  it('should ask for the next lease once per lease, also when Redis refuses it', async () => {
    const redis = scriptedRedis();
    const storage = storageOn(redis.client);
    for (let i = 0; i < 127; i++) expect((await hit(storage)).isBlocked).toBe(false);
    redis.refuse();
    const before = redis.calls.length;
    let blocked = false;
    for (let i = 0; i < 200 && !blocked; i++) blocked = (await hit(storage)).isBlocked;
    expect(blocked).toBe(true);
    // At most: the current lease's claim ahead, the claimed-ahead lease's own, the last claim.
    expect(redis.calls.length - before).toBeLessThanOrEqual(3);
  });

  it('should give back the hits of a lapsed lease with its next claim ahead', async () => {
    const redis = scriptedRedis();
    const storage = storageOn(redis.client);
    // t=0: leases of 1 and 2; spending the 2 claims the lease of 4 ahead (one-second window).
    for (let i = 0; i < 3; i++) await hit(storage);
    // Spending the 4 down to one hit claims the lease of 8 ahead, in a five-second window.
    redis.secondWindow(5_000);
    for (let i = 0; i < 3; i++) await hit(storage);
    expect(redis.calls.map((c) => c.want)).toEqual([1, 2, 4, 8]);
    // t=1.5 s: the lease of 4 has lapsed with one hit unused; the lease of 8 takes over, and
    // once it is half spent its claim ahead gives that hit back.
    clock = 1_500;
    for (let i = 0; i < 5; i++) await hit(storage);
    expect(redis.calls.at(-1)).toEqual({ want: 16, giveBack: 1 });
    // Counted in Redis: the 11 hits spent and the 3 + 16 held, not the lapsed one.
    expect(redis.minute()).toBe(11 + 3 + 16);
  });

  it('should log a failed claim ahead and let the next request claim again', async () => {
    const redis = scriptedRedis();
    let failing = false;
    const client = {
      eval: (script: string, keys: number, ...args: (string | number)[]) =>
        failing
          ? Promise.reject(new Error('connection lost'))
          : redis.client.eval(script, keys, ...args),
    };
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const storage = storageOn(client);
      for (let i = 0; i < 7; i++) await hit(storage);
      failing = true;
      let failed: unknown;
      for (let i = 0; i < 20 && !failed; i++) {
        await hit(storage).catch((error: unknown) => {
          failed = error;
        });
      }
      expect(String(failed)).toContain('connection lost');
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('connection lost'));
      failing = false;
      expect((await hit(storage)).isBlocked).toBe(false);
    } finally {
      warn.mockRestore();
    }
  });
});
