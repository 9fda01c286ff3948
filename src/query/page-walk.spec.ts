import { newBitset, popcountAnd, setBit } from './bitset.js';
import { groupWalkCost, pageByPositions, walkPage } from './page-walk.js';
import { SortOrder } from './sort-order.js';

/** A seeded generator, so a failure names the case that broke. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
}

/** n live slots with few distinct values (many ties, some nulls); a sparse match set. */
function fixture(seed: number, n: number, distinct: number, density: number) {
  const next = random(seed);
  const values = Array.from({ length: n }, () =>
    next() < 0.1 ? null : Math.floor(next() * distinct),
  );
  const live = newBitset(n);
  const match = newBitset(n);
  for (let slot = 0; slot < n; slot++) {
    setBit(live, slot);
    if (next() < density) setBit(match, slot);
  }
  const ids = new SortOrder((slot) => slot, null);
  const order = new SortOrder((slot) => values[slot], ids);
  order.refresh(live, n, n);
  return { values, match, order, n };
}

/** The documented order: values ascending or descending, nulls last, ties by id (slot). */
function model(values: (number | null)[], match: Uint32Array, desc: boolean): number[] {
  const slots = values
    .map((_, slot) => slot)
    .filter((slot) => (match[slot >>> 5] >>> (slot & 31)) & 1);
  return slots.sort((a, b) => {
    const va = values[a];
    const vb = values[b];
    if (va !== vb) {
      if (va === null) return 1;
      if (vb === null) return -1;
      return (va - vb) * (desc ? -1 : 1);
    }
    return a - b;
  });
}

describe('page walks', () => {
  const cases = [
    { seed: 1, n: 1000, distinct: 7, density: 0.05 },
    { seed: 2, n: 997, distinct: 400, density: 0.3 },
    { seed: 3, n: 64, distinct: 3, density: 0.9 },
    { seed: 4, n: 2048, distinct: 2048, density: 0.01 },
  ];

  it.each(cases)(
    'should page like the model by positions (%o)',
    ({ seed, n, distinct, density }) => {
      const { values, match, order } = fixture(seed, n, distinct, density);
      for (const desc of [false, true]) {
        const expected = model(values, match, desc);
        for (const [start, end] of [
          [0, 10],
          [3, 40],
          [0, expected.length],
          [expected.length - 5, expected.length],
        ]) {
          if (start < 0 || end > expected.length || start >= end) continue;
          const page = pageByPositions(order, desc, match, start, end, newBitset(n));
          expect([...page]).toEqual(expected.slice(start, end));
        }
      }
    },
  );

  it('should skip whole groups with known counts and still page like the model', () => {
    const { values, match, order, n } = fixture(5, 1500, 5, 0.2);
    const counts = new Int32Array(order.groups);
    for (let group = 0; group < order.groups; group++) {
      const bits = newBitset(n);
      for (let i = order.bounds[group]; i < order.bounds[group + 1]; i++) {
        setBit(bits, order.order[i]);
      }
      counts[group] = popcountAnd(bits, match);
    }
    for (const desc of [false, true]) {
      const expected = model(values, match, desc);
      for (const start of [0, 50, expected.length - 20]) {
        const end = Math.min(expected.length, start + 50);
        expect([...walkPage(order, desc, match, start, end, null, counts)]).toEqual(
          expected.slice(start, end),
        );
      }
      // A page deep in the view reads only the groups it falls in, not those before it.
      const deep = groupWalkCost(order, counts, desc, expected.length - 50, expected.length, false);
      expect(deep).toBeLessThan(order.nonNull / 2);
    }
  });
});
