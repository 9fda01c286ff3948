import { parseRetryAfter, retryDelay, sleep } from './retry-delay.js';

describe(parseRetryAfter.name, () => {
  const now = Date.UTC(2015, 9, 21, 7, 27, 30);

  it('should read delta seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 3 ', now)).toBe(3000);
  });

  it('should read an HTTP date relative to now', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(30_000);
  });

  it('should not return a negative delay', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-5', now)).toBe(0);
  });

  it('should return undefined for a missing or unreadable value', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('  ', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(120, now)).toBeUndefined();
  });
});

describe(retryDelay.name, () => {
  it('should wait between half and all of the exponential delay', () => {
    // attempt 3 with base 100: 100 × 2³ = 800 → 400 fixed + up to 400 random.
    expect(retryDelay(3, 100, 30_000, undefined, () => 0)).toBe(400);
    expect(retryDelay(3, 100, 30_000, undefined, () => 0.5)).toBe(600);
    expect(retryDelay(3, 100, 30_000, undefined, () => 1)).toBe(800);
  });

  it('should start at the base delay', () => {
    expect(retryDelay(0, 100, 30_000, undefined, () => 0)).toBe(50);
    expect(retryDelay(0, 100, 30_000, undefined, () => 1)).toBe(100);
  });

  it('should cap the exponential delay at the maximum', () => {
    // 100 × 2¹⁰ = 102 400 > 1000.
    expect(retryDelay(10, 100, 1000, undefined, () => 0)).toBe(500);
    expect(retryDelay(10, 100, 1000, undefined, () => 1)).toBe(1000);
  });

  it('should stay within bounds for any random value', () => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const exp = Math.min(5000, 200 * 2 ** attempt);
      for (const r of [0, 0.1, 0.33, 0.5, 0.9, 0.999]) {
        const delay = retryDelay(attempt, 200, 5000, undefined, () => r);
        expect(delay).toBeGreaterThanOrEqual(exp / 2);
        expect(delay).toBeLessThanOrEqual(exp);
      }
    }
  });

  it("should use the server's Retry-After instead of backoff, capped at the maximum", () => {
    const random = jest.fn(() => 0.5);
    expect(retryDelay(0, 100, 30_000, 2000, random)).toBe(2000);
    expect(retryDelay(5, 100, 30_000, 0, random)).toBe(0);
    expect(retryDelay(0, 100, 30_000, 60_000, random)).toBe(30_000);
    expect(random).not.toHaveBeenCalled();
  });
});

describe(sleep.name, () => {
  it('should resolve after about the given time', async () => {
    const started = Date.now();
    await sleep(40);
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
  });

  it('should reject with the abort reason when aborted while sleeping', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const started = Date.now();
    setTimeout(() => controller.abort(reason), 10);
    await expect(sleep(10_000, controller.signal)).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('should reject at once when the signal is already aborted', async () => {
    const reason = new Error('already');
    await expect(sleep(10_000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('should resolve normally with a signal that is never aborted', async () => {
    await expect(sleep(5, new AbortController().signal)).resolves.toBeUndefined();
  });
});
