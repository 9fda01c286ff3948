import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * One round trip counts a hit in two fixed windows: the throttler's own (per minute) and a
 * one-second burst window. Returns the minute's hits, its remaining ms, and whether either
 * window is over its limit (with the ms until that window ends).
 */
const HIT = `local minute = redis.call('INCR', KEYS[1])
if minute == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local second = redis.call('INCR', KEYS[2])
if second == 1 then redis.call('PEXPIRE', KEYS[2], 1000) end
local minuteTtl = redis.call('PTTL', KEYS[1])
if minute > tonumber(ARGV[2]) then return {minute, minuteTtl, 1, minuteTtl} end
if tonumber(ARGV[3]) > 0 and second > tonumber(ARGV[3]) then
  return {minute, minuteTtl, 1, redis.call('PTTL', KEYS[2])}
end
return {minute, minuteTtl, 0, 0}`;

/** Fixed-window counters in Redis, so a user's limits hold across every web replica. */
export class RedisThrottlerStorage implements ThrottlerStorage {
  /** The client is asked for lazily: the store connects after module factories have run. */
  constructor(
    private readonly redis: () => Redis,
    private readonly prefix: string,
    private readonly burstPerSecond: number,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}${throttlerName}:${key}`;
    const [hits, ttlMs, blocked, blockMs] = (await this.redis().eval(
      HIT,
      2,
      base,
      `${base}:s`,
      ttl,
      limit,
      this.burstPerSecond,
    )) as [number, number, number, number];
    const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
    return {
      // The guard compares hits with the limit itself; a burst refusal must look over the limit.
      totalHits: blocked ? Math.max(hits, limit + 1) : hits,
      timeToExpire: seconds(ttlMs),
      isBlocked: blocked === 1,
      timeToBlockExpire: blocked ? seconds(blockMs) : 0,
    };
  }
}
