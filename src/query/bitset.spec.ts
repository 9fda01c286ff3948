import {
  andAll,
  andInto,
  clearBit,
  collectBits,
  forEachBit,
  grownBitset,
  hasBit,
  newBitset,
  orInto,
  popcount,
  popcountAnd,
  retainBits,
  setBit,
} from './bitset.js';

function bitsOf(slots: number[], capacity = 100) {
  const bits = newBitset(capacity);
  for (const slot of slots) setBit(bits, slot);
  return bits;
}

function slotsOf(bits: Uint32Array): number[] {
  const out = new Int32Array(popcount(bits));
  collectBits(bits, out);
  return [...out];
}

describe('bitset', () => {
  it('should set, test and clear slots on both sides of a word boundary', () => {
    const bits = bitsOf([0, 31, 32, 63, 64, 99]);
    expect(bits).toHaveLength(4);
    expect([0, 1, 31, 32, 33, 63, 64, 99].map((slot) => hasBit(bits, slot))).toEqual([
      true,
      false,
      true,
      true,
      false,
      true,
      true,
      true,
    ]);
    clearBit(bits, 31);
    clearBit(bits, 31);
    expect(hasBit(bits, 31)).toBe(false);
    expect(popcount(bits)).toBe(5);
  });

  it('should list the set slots in ascending order', () => {
    expect(slotsOf(bitsOf([99, 31, 0, 32, 5]))).toEqual([0, 5, 31, 32, 99]);
    const seen: number[] = [];
    forEachBit(bitsOf([64, 3, 31]), (slot) => seen.push(slot));
    expect(seen).toEqual([3, 31, 64]);
  });

  it('should count, intersect and unite', () => {
    const a = bitsOf([1, 2, 31, 40]);
    const b = bitsOf([2, 31, 41]);
    expect(popcountAnd(a, b)).toBe(2);
    const both = a.slice();
    andInto(both, b);
    expect(slotsOf(both)).toEqual([2, 31]);
    orInto(a, b);
    expect(slotsOf(a)).toEqual([1, 2, 31, 40, 41]);
  });

  it.each([0, 1, 2, 3, 4, 5])(
    'should AND %i masks into a bitset and count the result, in place or not',
    (n) => {
      const base = bitsOf([0, 1, 2, 31, 32, 33, 63, 64, 70, 99]);
      // Mask i leaves out slot 1, 2, 31… in turn, so each one changes the result.
      const dropped = [1, 2, 31, 32, 99];
      const masks = dropped
        .slice(0, n)
        .map((slot) => bitsOf([...Array(100).keys()].filter((s) => s !== slot)));
      const expected = slotsOf(base).filter((slot) => !dropped.slice(0, n).includes(slot));
      const out = newBitset(100).fill(0xffffffff);
      expect(andAll(out, base, masks)).toBe(expected.length);
      expect(slotsOf(out)).toEqual(expected);
      const inPlace = base.slice();
      expect(andAll(inPlace, inPlace, masks)).toBe(expected.length);
      expect(slotsOf(inPlace)).toEqual(expected);
    },
  );

  it('should keep only the slots a predicate accepts', () => {
    const bits = bitsOf([0, 7, 31, 32, 50]);
    retainBits(bits, (slot) => slot % 2 === 0);
    expect(slotsOf(bits)).toEqual([0, 32, 50]);
  });

  it('should grow with the new slots clear', () => {
    const grown = grownBitset(bitsOf([3, 31]), 200);
    expect(grown).toHaveLength(7);
    expect(slotsOf(grown)).toEqual([3, 31]);
  });
});
