/** One bit per index slot, 32 slots to a word: 100k cases fit in 12.5 KB. */
export type Bitset = Uint32Array;

// Hot loops call these through local bindings: under jest (a vm context) every global lookup
// goes through an interceptor and costs a hundred times more, which would skew measurements.
const { clz32, imul } = Math;

export function newBitset(capacity: number): Bitset {
  return new Uint32Array((capacity + 31) >>> 5);
}

/** A copy with room for `capacity` slots; the new slots are clear. */
export function grownBitset(bits: Bitset, capacity: number): Bitset {
  const grown = newBitset(capacity);
  grown.set(bits);
  return grown;
}

export function setBit(bits: Bitset, slot: number): void {
  bits[slot >>> 5] |= 1 << (slot & 31);
}

export function clearBit(bits: Bitset, slot: number): void {
  bits[slot >>> 5] &= ~(1 << (slot & 31));
}

export function hasBit(bits: Bitset, slot: number): boolean {
  return (bits[slot >>> 5] & (1 << (slot & 31))) !== 0;
}

/** The bits set in one word. */
export function popcountWord(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

export function popcount(bits: Bitset): number {
  let count = 0;
  for (let w = 0; w < bits.length; w++) if (bits[w] !== 0) count += popcountWord(bits[w]);
  return count;
}

/** popcount(a ∧ b) without building the intersection. */
export function popcountAnd(a: Bitset, b: Bitset): number {
  let count = 0;
  for (let w = 0; w < a.length; w++) {
    const word = a[w] & b[w];
    if (word !== 0) count += popcountWord(word);
  }
  return count;
}

export function andInto(target: Bitset, other: Bitset): void {
  for (let w = 0; w < target.length; w++) target[w] &= other[w];
}

export function orInto(target: Bitset, other: Bitset): void {
  for (let w = 0; w < target.length; w++) target[w] |= other[w];
}

/** Writes the set slots, ascending, into `out` (sized for them); returns how many. */
export function collectBits(bits: Bitset, out: Int32Array): number {
  let n = 0;
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w];
    while (word !== 0) {
      const lowest = word & -word;
      out[n++] = (w << 5) + 31 - clz32(lowest);
      word ^= lowest;
    }
  }
  return n;
}

/** Clears every set slot for which `keep` says no. */
export function retainBits(bits: Bitset, keep: (slot: number) => boolean): void {
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w];
    let kept = word;
    while (word !== 0) {
      const lowest = word & -word;
      if (!keep((w << 5) + 31 - clz32(lowest))) kept ^= lowest;
      word ^= lowest;
    }
    bits[w] = kept;
  }
}

export function forEachBit(bits: Bitset, visit: (slot: number) => void): void {
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w];
    while (word !== 0) {
      const lowest = word & -word;
      visit((w << 5) + 31 - clz32(lowest));
      word ^= lowest;
    }
  }
}

/**
 * out = base AND every one of `masks`, word by word (out may be base); returns the bits set.
 * The usual one to three masks get loops of their own: a loop over an array of masks is
 * several times slower.
 */
export function andAll(out: Bitset, base: Bitset, masks: readonly Bitset[]): number {
  let count = 0;
  const words = out.length;
  if (masks.length === 0) {
    for (let w = 0; w < words; w++) {
      const word = base[w];
      out[w] = word;
      if (word !== 0) count += popcountWord(word);
    }
  } else if (masks.length === 1) {
    const [a] = masks;
    for (let w = 0; w < words; w++) {
      const word = base[w] & a[w];
      out[w] = word;
      if (word !== 0) count += popcountWord(word);
    }
  } else if (masks.length === 2) {
    const [a, b] = masks;
    for (let w = 0; w < words; w++) {
      const word = base[w] & a[w] & b[w];
      out[w] = word;
      if (word !== 0) count += popcountWord(word);
    }
  } else if (masks.length === 3) {
    const [a, b, c] = masks;
    for (let w = 0; w < words; w++) {
      const word = base[w] & a[w] & b[w] & c[w];
      out[w] = word;
      if (word !== 0) count += popcountWord(word);
    }
  } else {
    if (out !== base) out.set(base);
    for (const mask of masks) andInto(out, mask);
    return popcount(out);
  }
  return count;
}
