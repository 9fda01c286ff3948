import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { MAX_LEASE, RedisThrottlerStorage } from '../../../src/api/redis-throttler.storage.js';
import { deletePrefix, testRedisUrl, uniquePrefix } from '../../support/test-context.js';

const MINUTE = 60_000;

/** Two web replicas' storages over one real Redis, counting the round trips each makes. */
function replicas(prefix: string, burst: number) {
  const redis = new Redis(testRedisUrl());
  let calls = 0;
  const counted = {
    eval: (script: string, keys: number, ...args: (string | number)[]) => {
      calls++;
      return redis.eval(script, keys, ...args);
    },
  };
  const storage = () => new RedisThrottlerStorage(() => counted, prefix, burst);
  return {
    a: storage(),
    b: storage(),
    calls: () => calls,
    minuteHits: async (key: string) => Number(await redis.get(`${prefix}api:${key}`)),
    close: () => redis.quit(),
  };
}

/** Whether each hit was let through, in order. */
async function hits(
  storage: RedisThrottlerStorage,
  key: string,
  n: number,
  limit: number,
  ttl = MINUTE,
): Promise<boolean[]> {
  const passed: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const record = await storage.increment(key, ttl, limit, ttl, 'api');
    passed.push(!record.isBlocked && record.totalHits <= limit);
  }
  return passed;
}

const count = (passed: boolean[]) => passed.filter(Boolean).length;

describe(RedisThrottlerStorage.name, () => {
  let prefix: string;
  let pair: ReturnType<typeof replicas>;

  beforeEach(() => {
    prefix = uniquePrefix('throttle');
  });

  afterEach(async () => {
    await pair.close();
    await deletePrefix(prefix);
  });

  it('should let 5 hits through in a second and refuse the 6th (burst 5, 8 a minute)', async () => {
    pair = replicas(prefix, 5);
    expect(await hits(pair.a, 'u1', 6, 8)).toEqual([true, true, true, true, true, false]);
    // Another caller has budgets of its own.
    expect(await hits(pair.a, 'u2', 1, 8)).toEqual([true]);
  });

  it('should hold the minute limit across bursts, and grant again in the next window', async () => {
    pair = replicas(prefix, 5);
    const window = 2500;
    const first = await hits(pair.a, 'u1', 5, 8, window);
    await sleep(1100);
    const second = await hits(pair.a, 'u1', 4, 8, window);
    expect([...first, ...second]).toEqual([true, true, true, true, true, true, true, true, false]);
    await sleep(window);
    expect(await hits(pair.a, 'u1', 1, 8, window)).toEqual([true]);
  });

  it('should never let two replicas together exceed the limit, hammered concurrently', async () => {
    pair = replicas(prefix, 0);
    const limit = 100;
    const passed = await Promise.all([
      ...Array.from({ length: 150 }, () => pair.a.increment('u1', MINUTE, limit, MINUTE, 'api')),
      ...Array.from({ length: 150 }, () => pair.b.increment('u1', MINUTE, limit, MINUTE, 'api')),
    ]);
    // Each replica spends every hit it claimed, since it has requests left: exactly the limit.
    expect(passed.filter((r) => !r.isBlocked).length).toBe(limit);
    expect(await pair.minuteHits('u1')).toBe(limit);
  });

  it('should ask Redis about once per lease for a busy caller, not once per request', async () => {
    pair = replicas(prefix, 0);
    expect(count(await hits(pair.a, 'u1', 1000, 1_000_000))).toBe(1000);
    // Leases of 1, 2, 4, … 64, then 64 at a time: 7 claims reach 127 hits, 14 more the rest
    // (a lease cut short by the end of a second costs a claim or two more).
    const claims = 7 + Math.ceil((1000 - 127) / MAX_LEASE);
    expect(pair.calls()).toBeGreaterThanOrEqual(claims);
    expect(pair.calls()).toBeLessThanOrEqual(claims + 4);
    // What the last leases hold unused is counted too: fewer than 1.5 × MAX_LEASE hits (the
    // current lease past its half, and the one claimed ahead).
    expect(await pair.minuteHits('u1')).toBeGreaterThanOrEqual(1000);
    expect(await pair.minuteHits('u1')).toBeLessThan(1000 + 1.5 * MAX_LEASE);
  });

  it('should claim the next lease ahead, so that requests need not wait for Redis when one runs out', async () => {
    pair = replicas(prefix, 0);
    const redis = new Redis(testRedisUrl());
    // A Redis whose answers can be held back: a hit that needs Redis then stays pending.
    let holding = false;
    const held: (() => void)[] = [];
    const slow = {
      eval: async (script: string, keys: number, ...args: (string | number)[]) => {
        if (holding) await new Promise<void>((resolve) => held.push(resolve));
        return redis.eval(script, keys, ...args);
      },
    };
    const storage = new RedisThrottlerStorage(() => slow, prefix, 0);
    const hit = () => storage.increment('u1', MINUTE, 1_000_000, MINUTE, 'api');
    const settled = async (pending: Promise<unknown>) => {
      let done = false;
      void pending.then(() => (done = true));
      await new Promise((resolve) => setImmediate(resolve));
      return done;
    };
    try {
      // Leases grow to MAX_LEASE while Redis answers at once.
      expect(count(await hits(storage, 'u1', 300, 1_000_000))).toBe(300);
      // Let a claim ahead still on its way to Redis land before answers are held back.
      await sleep(100);
      holding = true;
      let passedWhileClaiming = 0;
      let pending: Promise<{ isBlocked: boolean }>;
      for (;;) {
        pending = hit();
        if (!(await settled(pending))) break;
        if (held.length > 0) passedWhileClaiming++;
      }
      // The next lease was asked for while the current one still had hits to spend.
      expect(held).toHaveLength(1);
      expect(passedWhileClaiming).toBeGreaterThanOrEqual(MAX_LEASE / 4);
      holding = false;
      held.forEach((release) => release());
      expect((await pending).isBlocked).toBe(false);
    } finally {
      await redis.quit();
    }
  });

  it('should give unused hits back once its lease lapses, for the other replica to grant', async () => {
    pair = replicas(prefix, 0);
    // Leases of 1, 2, 4 and 8 spent (15 hits); the 16th claims min(16, 20 − 15) = 5, spends 1.
    expect(count(await hits(pair.a, 'u1', 16, 20))).toBe(16);
    // The 4 unused hits are held by replica a: the documented tolerance.
    expect(await hits(pair.b, 'u1', 1, 20)).toEqual([false]);
    // a's lease lapses with the second window; its next claim gives the 4 back and takes 1.
    await sleep(1100);
    expect(await hits(pair.a, 'u1', 1, 20)).toEqual([true]);
    expect(await pair.minuteHits('u1')).toBe(17);
    expect(await hits(pair.b, 'u1', 4, 20)).toEqual([true, true, true, false]);
    expect(await pair.minuteHits('u1')).toBe(20);
  });

  it('should give back the unused hits of the lease claimed ahead too, once the leases lapse', async () => {
    pair = replicas(prefix, 0);
    expect(count(await hits(pair.a, 'u1', 100, 1_000))).toBe(100);
    // Replica a holds unused hits: of its current lease and of the one claimed ahead.
    expect(await pair.minuteHits('u1')).toBeGreaterThan(100);
    // Past the second window and the quiet spell after it, a's next claim is for one hit.
    await sleep(2100);
    expect(await hits(pair.a, 'u1', 1, 1_000)).toEqual([true]);
    expect(await pair.minuteHits('u1')).toBe(101);
  });
});
