import { collectBits, newBitset, popcount, setBit } from './bitset.js';
import { FacetColumn } from './facet-column.js';

function slotsWith(column: FacetColumn, value: string): number[] {
  const bits = newBitset(16);
  const id = column.idOf(value);
  if (id !== undefined) column.addSlotsTo(bits, id);
  const out = new Int32Array(popcount(bits));
  collectBits(bits, out);
  return [...out];
}

describe(FacetColumn.name, () => {
  let column: FacetColumn;

  beforeEach(() => {
    column = new FacetColumn(16);
    column.set(0, 'ACME');
    column.set(1, 'Globex');
    column.set(2, 'ACME');
    column.set(3, null);
  });

  it('should list the slots holding each value', () => {
    expect(slotsWith(column, 'ACME')).toEqual([0, 2]);
    expect(slotsWith(column, 'Globex')).toEqual([1]);
    expect(slotsWith(column, '')).toEqual([3]);
    expect(slotsWith(column, 'Initech')).toEqual([]);
  });

  it('should move a slot to its new value and report whether it changed', () => {
    expect(column.set(0, 'Globex')).toBe(true);
    expect(column.set(0, 'Globex')).toBe(false);
    expect(slotsWith(column, 'ACME')).toEqual([2]);
    expect(slotsWith(column, 'Globex')).toEqual([0, 1]);
    expect(column.count(column.idOf('ACME')!)).toBe(1);
  });

  it('should store empty text as null', () => {
    column.set(4, '');
    expect(slotsWith(column, '')).toEqual([3, 4]);
    expect(column.value(column.idAt(4))).toBeNull();
  });

  it('should forget a cleared slot', () => {
    column.clear(0);
    column.clear(0);
    expect(column.idAt(0)).toBe(-1);
    expect(slotsWith(column, 'ACME')).toEqual([2]);
  });

  it('should grow its posting lists and its slots', () => {
    column.grow(64);
    for (let slot = 16; slot < 64; slot++) column.set(slot, 'ACME');
    expect(column.count(column.idOf('ACME')!)).toBe(50);
    column.clear(2);
    expect(column.count(column.idOf('ACME')!)).toBe(49);
  });

  it('should list the values most held among some slots, most first, ties in sort order', () => {
    column.set(4, 'Globex');
    column.set(5, 'Initech');
    column.set(6, null);
    const all = newBitset(16).fill(0b111_1111);
    expect(column.topValues(all, 10)).toEqual([
      { value: 'ACME', count: 2 },
      { value: 'Globex', count: 2 },
      { value: null, count: 2 },
      { value: 'Initech', count: 1 },
    ]);
    expect(column.topValues(all, 1)).toEqual([{ value: 'ACME', count: 2 }]);
    const some = newBitset(16);
    for (const slot of [1, 3, 5]) setBit(some, slot);
    expect(column.topValues(some, 10)).toEqual([
      { value: 'Globex', count: 1 },
      { value: 'Initech', count: 1 },
      { value: null, count: 1 },
    ]);
  });

  it('should order values case-insensitively, null last', () => {
    column.set(5, 'acme');
    const ids = ['Globex', 'acme', '', 'ACME'].map((value) => column.idOf(value)!);
    const ordered = ids.sort((a, b) => column.compareIds(a, b)).map((id) => column.value(id));
    expect(ordered).toEqual(['ACME', 'acme', 'Globex', null]);
    expect(column.sortKeyAt(1)).toBe('globex');
  });
});
