import { newBitset, setBit } from './bitset.js';
import { NULL_RANK, SortOrder } from './sort-order.js';

const CAPACITY = 8;

describe(SortOrder.name, () => {
  // Slots 0..5; the tie order is slot order reversed (slot 5 first).
  let names: (string | null)[];
  let live: Uint32Array;
  let tie: SortOrder;
  let order: SortOrder;

  function refresh(count: number): void {
    order.refresh(live, count, CAPACITY);
  }

  beforeEach(() => {
    names = ['b', 'a', null, 'b', 'c', 'a', null, null];
    live = newBitset(CAPACITY);
    for (let slot = 0; slot < 6; slot++) setBit(live, slot);
    tie = new SortOrder((slot) => -slot, null);
    order = new SortOrder((slot) => names[slot], tie);
    refresh(6);
  });

  it('should order by value, ties in tie order, nulls last', () => {
    expect([...order.order]).toEqual([5, 1, 3, 0, 4, 2]);
    expect(order.groups).toBe(3);
    expect([...order.bounds]).toEqual([0, 2, 4, 5]);
    expect(order.nonNull).toBe(5);
    expect([...order.rank.subarray(0, 6)]).toEqual([1, 0, NULL_RANK, 1, 2, 0]);
  });

  it('should re-insert a touched slot where its new value belongs', () => {
    names[4] = 'a';
    order.touch(4);
    refresh(6);
    expect([...order.order]).toEqual([5, 4, 1, 3, 0, 2]);
    expect([...order.bounds]).toEqual([0, 3, 5]);
    expect([...order.rank.subarray(0, 6)]).toEqual([1, 0, NULL_RANK, 1, 0, 0]);
  });

  it('should add and drop slots, splitting and merging groups', () => {
    names[0] = null;
    order.touch(0);
    setBit(live, 6);
    names[6] = 'ab';
    order.touch(6);
    tie.touch(6);
    refresh(7);
    // Tie order now starts with 6.
    expect([...order.order]).toEqual([5, 1, 6, 3, 4, 2, 0]);
    expect([...order.bounds]).toEqual([0, 2, 3, 4, 5]);
    expect(order.nonNull).toBe(5);
  });

  it('should sort from scratch after a reset', () => {
    names[1] = 'z';
    order.reset();
    refresh(6);
    expect([...order.order]).toEqual([5, 3, 0, 4, 1, 2]);
  });

  it('should order numbers', () => {
    const values = [30, 10, 20, null, 10, 5];
    const byNumber = new SortOrder((slot) => values[slot], tie);
    byNumber.refresh(live, 6, CAPACITY);
    expect([...byNumber.order]).toEqual([5, 4, 1, 2, 0, 3]);
    expect(byNumber.groups).toBe(4);
  });
});
