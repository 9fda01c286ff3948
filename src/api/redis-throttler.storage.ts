import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * Claims up to ARGV[4] hits at once in two fixed windows, the throttler's own (per minute) and a
 * one-second burst window, granting only what both limits still allow; first gives back
 * ARGV[5] unused hits of an earlier claim in the same minute. Returns the minute's hits, its
 * remaining ms, the hits granted (0: refused) and the remaining ms of the refusing window (or
 * of the second window when granted).
 */
const CLAIM = `local limit = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local giveBack = tonumber(ARGV[5])
if giveBack > 0 and redis.call('PTTL', KEYS[1]) > 0 then redis.call('DECRBY', KEYS[1], giveBack) end
local minute = tonumber(redis.call('GET', KEYS[1]) or '0')
local second = tonumber(redis.call('GET', KEYS[2]) or '0')
local grant = math.min(tonumber(ARGV[4]), limit - minute)
if burst > 0 then grant = math.min(grant, burst - second) end
if grant < 1 then
  local minuteTtl = redis.call('PTTL', KEYS[1])
  if minute >= limit then return {minute, minuteTtl, 0, minuteTtl} end
  return {minute, minuteTtl, 0, redis.call('PTTL', KEYS[2])}
end
minute = redis.call('INCRBY', KEYS[1], grant)
if minute == grant then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
second = redis.call('INCRBY', KEYS[2], grant)
if second == grant then redis.call('PEXPIRE', KEYS[2], 1000) end
return {minute, redis.call('PTTL', KEYS[1]), grant, redis.call('PTTL', KEYS[2])}`;

/** The most hits one replica claims for one caller at a time. */
export const MAX_LEASE = 64;
/** Unused hits are given back only this long before the minute window is known to end. */
const GIVE_BACK_MARGIN_MS = 200;
/** A caller back after this long without a valid lease starts again at one hit. */
const QUIET_MS = 1000;
/** Callers tracked at once; past that, spent leases are forgotten (their unused hits lapse). */
const MAX_TRACKED = 10_000;

/** Hits claimed from Redis and not yet used, valid until either window may have ended. */
interface Lease {
  size: number;
  left: number;
  /** The minute window's hits in Redis right after the claim. */
  minuteHits: number;
  /** Local clock lower bounds of the windows' ends (measured from before the claim was sent). */
  minuteEnds: number;
  validUntil: number;
  /** Unused hits of a lapsed lease in the same minute window, to give back at the next claim. */
  returnable: number;
  /** Whether the lease after it was asked for. */
  claimedAhead: boolean;
}

/** The CLAIM script's answer: the minute's hits, its remaining ms, hits granted, other window's ms. */
type ClaimAnswer = [number, number, number, number];

/** Whether unused hits of `lease` may still be given back at `now`: its minute window is open. */
const givable = (lease: Lease, now: number) => now < lease.minuteEnds - GIVE_BACK_MARGIN_MS;

interface RedisEval {
  eval(script: string, keys: number, ...args: (string | number)[]): Promise<unknown>;
}

/**
 * Fixed-window counters in Redis, so a user's limits hold across every web replica, counted in
 * leases: a replica claims several hits of a caller's budget in one round trip and spends them
 * locally, so a busy caller costs one Redis call per up to MAX_LEASE requests instead of one
 * per request. A caller's first request (and any after a quiet spell) claims one hit, and each
 * lease spent before its windows end doubles the next. Once half a lease is spent, the next is
 * claimed ahead, so that a busy caller's requests do not all wait for Redis when a lease runs
 * out. Hits are only granted while both windows have room, so the limits are never exceeded;
 * the price is that a replica holds fewer than 1.5 × MAX_LEASE unused hits of a caller at a
 * time (given back to the minute window at the next claim, expiring with the second window),
 * which another replica cannot grant meanwhile.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private readonly leases = new Map<string, Lease>();
  /** Leases claimed ahead while the current one still had hits: spent once it runs out. */
  private readonly ahead = new Map<string, Lease>();
  /** One claim in flight per key: callers that arrive meanwhile wait for it. */
  private readonly claims = new Map<string, Promise<unknown>>();

  /** The client is asked for lazily: the store connects after module factories have run. */
  constructor(
    private readonly redis: () => RedisEval,
    private readonly prefix: string,
    private readonly burstPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}${throttlerName}:${key}`;
    for (;;) {
      const spent = this.spend(base, ttl, limit);
      if (spent) return spent;
      const running = this.claims.get(base);
      if (!running) break;
      await running.catch(() => undefined);
    }
    const claim = this.claim(base, ttl, limit);
    this.claims.set(base, claim);
    try {
      return await claim;
    } finally {
      this.claims.delete(base);
    }
  }

  private spend(base: string, ttl: number, limit: number): ThrottlerStorageRecord | null {
    const now = this.now();
    let lease = this.leases.get(base);
    if (!lease || lease.left === 0 || now >= lease.validUntil) {
      const next = this.ahead.get(base);
      if (!next || now >= next.validUntil) return null;
      this.ahead.delete(base);
      // The next lease was claimed before `now`: a window still open now held both claims.
      if (lease && givable(lease, now)) next.returnable += lease.left + lease.returnable;
      this.leases.set(base, (lease = next));
    }
    lease.left--;
    // One claim ahead per lease: a refused or failed one is not asked again at every request.
    if (lease.left < lease.size / 2 && !lease.claimedAhead && !this.claims.has(base)) {
      lease.claimedAhead = true;
      const claim = this.claimAhead(base, ttl, limit, lease, now);
      this.claims.set(base, claim);
      void claim.finally(() => this.claims.delete(base));
    }
    return this.record(lease.minuteHits - lease.left, lease.minuteEnds - now, false, 0);
  }

  /**
   * Claims the lease after `current`, which is being spent, giving back the hits it carries
   * from a lapsed lease. A failure is only logged: the caller's next claim asks again.
   */
  private async claimAhead(
    base: string,
    ttl: number,
    limit: number,
    current: Lease,
    started: number,
  ): Promise<void> {
    const giveBack = givable(current, started) ? current.returnable : 0;
    try {
      const answer = await this.eval(
        base,
        ttl,
        limit,
        Math.min(MAX_LEASE, current.size * 2),
        giveBack,
      );
      current.returnable -= giveBack;
      if (answer[2] > 0) this.ahead.set(base, this.lease(started, ttl, answer, answer[2]));
    } catch (error) {
      this.logger.warn(`claiming the next rate-limit lease failed: ${(error as Error).message}`);
    }
  }

  private async claim(base: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const started = this.now();
    const previous = this.leases.get(base);
    let want = 1;
    let giveBack = 0;
    for (const lease of [previous, this.ahead.get(base)]) {
      if (lease && givable(lease, started)) giveBack += lease.left + lease.returnable;
    }
    if (previous && started < previous.validUntil + QUIET_MS) {
      const used = previous.size - previous.left;
      want = previous.left === 0 ? Math.min(MAX_LEASE, previous.size * 2) : Math.max(1, used);
    }
    this.leases.delete(base);
    this.ahead.delete(base);
    const answer = await this.eval(base, ttl, limit, want, giveBack);
    const [minuteHits, minuteTtl, granted, otherTtl] = answer;
    const minuteMs = minuteTtl > 0 ? minuteTtl : ttl;
    if (granted === 0) {
      // The guard compares hits with the limit itself; a burst refusal must look over the limit.
      return this.record(
        Math.max(minuteHits, limit + 1),
        minuteMs,
        true,
        otherTtl > 0 ? otherTtl : 1000,
      );
    }
    if (this.leases.size >= MAX_TRACKED) this.forgetSpent(this.now());
    this.leases.set(base, this.lease(started, ttl, answer, granted - 1));
    return this.record(minuteHits - (granted - 1), minuteMs, false, 0);
  }

  private async eval(
    base: string,
    ttl: number,
    limit: number,
    want: number,
    giveBack: number,
  ): Promise<ClaimAnswer> {
    return (await this.redis().eval(
      CLAIM,
      2,
      base,
      `${base}:s`,
      ttl,
      limit,
      this.burstPerSecond,
      want,
      giveBack,
    )) as ClaimAnswer;
  }

  /** The lease a granted claim sent at `started` gives, `left` hits of it unspent. */
  private lease(
    started: number,
    ttl: number,
    [minuteHits, minuteTtl, granted, otherTtl]: ClaimAnswer,
    left: number,
  ): Lease {
    const minuteEnds = started + (minuteTtl > 0 ? minuteTtl : ttl);
    return {
      size: granted,
      left,
      minuteHits,
      minuteEnds,
      validUntil: Math.min(minuteEnds, started + (otherTtl > 0 ? otherTtl : 0)),
      returnable: 0,
      claimedAhead: false,
    };
  }

  private forgetSpent(now: number): void {
    for (const leases of [this.leases, this.ahead]) {
      for (const [base, lease] of leases) {
        if (lease.left === 0 || now >= lease.validUntil) leases.delete(base);
      }
    }
    if (this.leases.size >= MAX_TRACKED) {
      this.leases.clear();
      this.ahead.clear();
    }
  }

  private record(
    hits: number,
    minuteMs: number,
    blocked: boolean,
    blockMs: number,
  ): ThrottlerStorageRecord {
    const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
    return {
      totalHits: hits,
      timeToExpire: seconds(minuteMs),
      isBlocked: blocked,
      timeToBlockExpire: blocked ? seconds(blockMs) : 0,
    };
  }
}
