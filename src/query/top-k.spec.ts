import { smallestK, smallestNumbers } from './top-k.js';

const VALUES = [42, 7, 19, 3, 88, 7, 61, 25, 0, 14, 99, 5, 33, 70, 12, 8];
const byValue = (a: number, b: number) => a - b;

describe(smallestK.name, () => {
  it('should keep the k smallest, sorted, with a heap when k is small', () => {
    expect([...smallestK(Int32Array.from(VALUES), 3, byValue)]).toEqual([0, 3, 5]);
  });

  it('should sort everything when k is a large share', () => {
    expect([...smallestK(Int32Array.from(VALUES), 5, byValue)]).toEqual([0, 3, 5, 7, 7]);
    expect([...smallestK(Int32Array.from(VALUES), 40, byValue)]).toHaveLength(16);
  });

  it('should follow the comparator', () => {
    expect([...smallestK(Int32Array.from(VALUES), 2, (a, b) => b - a)]).toEqual([99, 88]);
  });

  it('should return nothing for k of zero', () => {
    expect(smallestK(Int32Array.from(VALUES), 0, byValue)).toHaveLength(0);
  });
});

describe(smallestNumbers.name, () => {
  it('should keep the k smallest numbers, sorted', () => {
    expect([...smallestNumbers(Float64Array.from(VALUES), 3)]).toEqual([0, 3, 5]);
    expect([...smallestNumbers(Float64Array.from(VALUES), 6)]).toEqual([0, 3, 5, 7, 7, 8]);
    expect(smallestNumbers(Float64Array.from(VALUES), 0)).toHaveLength(0);
  });
});
