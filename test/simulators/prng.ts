/** Small seeded PRNG (mulberry32): fast, deterministic across platforms, good enough for fixtures. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A generator whose stream depends only on the seed and the salt, not on call order elsewhere. */
  static derive(seed: number, ...salt: (string | number)[]): Prng {
    return new Prng(hashValues(seed, ...salt));
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight; `weights` is aligned with `items`. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i];
      if (r < 0) return items[i];
    }
    return items[items.length - 1];
  }

  /** Exponentially distributed value with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.next() * 0x100000000).toString(16);
    return out.slice(0, length);
  }
}

/** FNV-1a over the string forms of the values, mixed with the seed. */
export function hashValues(seed: number, ...values: (string | number)[]): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (const value of values) {
    const text = String(value);
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h = Math.imul(h ^ 0x2f, 0x01000193) >>> 0;
  }
  return h;
}

/** `count` distinct items picked at random (all of them, shuffled, when count >= length). */
export function pickDistinct<T>(rng: Prng, items: readonly T[], count: number): T[] {
  const n = Math.min(Math.max(0, count), items.length);
  const chosen = new Set<number>();
  while (chosen.size < n) chosen.add(rng.int(0, items.length - 1));
  return [...chosen].map((i) => items[i]);
}
