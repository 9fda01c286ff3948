import { clearBit, collectBits, newBitset, popcount, setBit, type Bitset } from './bitset.js';
import { aCase } from './case-fixture.js';
import { TextSearch } from './text-search.js';

const SLOTS = 64;

function all(): Bitset {
  const bits = newBitset(SLOTS);
  for (let slot = 0; slot < SLOTS; slot++) setBit(bits, slot);
  return bits;
}

function slotsOf(bits: Bitset): number[] {
  const out = new Int32Array(popcount(bits));
  collectBits(bits, out);
  return [...out];
}

describe(TextSearch.name, () => {
  let search: TextSearch;
  const live = all();
  // The slots among all of them that `q` keeps.
  const find = (q: string | undefined) => {
    const mask = all();
    search.narrow(mask, q, live, SLOTS);
    return slotsOf(mask);
  };

  beforeEach(() => {
    search = new TextSearch(2);
    for (let slot = 0; slot < SLOTS; slot++) {
      search.set(slot, aCase({ key: `SUP-${slot}`, title: 'Routine', assignee: null }));
    }
    search.set(3, aCase({ key: 'SUP-3', title: 'Checkout FAILS', labels: ['urgent'] }));
    search.set(
      7,
      aCase({ key: 'SUP-7', title: 'Login loops', account: 'Globex', component: null }),
    );
  });

  it('should match any searchable field case-insensitively, the needle trimmed', () => {
    expect(find(' checkout fails ')).toEqual([3]);
    expect(find('URGENT')).toEqual([3]);
    expect(find('globex')).toEqual([7]);
    expect(find('alice')).toEqual([3, 7]);
    expect(find('sup-7')).toEqual([7]);
    expect(find('nowhere')).toEqual([]);
  });

  it('should not match a needle across two fields', () => {
    expect(find('failsacme')).toEqual([]);
    expect(find('fails acme')).toEqual([]);
  });

  it('should leave the mask as it is without a needle', () => {
    expect(find(undefined)).toHaveLength(SLOTS);
    expect(find('   ')).toHaveLength(SLOTS);
  });

  it('should only clear slots, never set one the mask left out, cached or not', () => {
    for (const round of ['worked out', 'cached']) {
      const mask = all();
      clearBit(mask, 7);
      search.narrow(mask, 'alice', live, SLOTS);
      expect({ round, slots: slotsOf(mask) }).toEqual({ round, slots: [3] });
    }
    const few = newBitset(SLOTS);
    setBit(few, 7);
    search.narrow(few, 'alice', live, SLOTS);
    expect(slotsOf(few)).toEqual([7]);
  });

  it('should keep a search over every case current once the changed slots are refreshed', () => {
    expect(find('alice')).toEqual([3, 7]);
    search.set(9, aCase({ key: 'SUP-9', assignee: 'Alice Adams' }));
    search.remove(3);
    // Cached and not yet told: the earlier answer.
    expect(find('alice')).toEqual([3, 7]);
    search.refresh([3, 9], live);
    expect(find('alice')).toEqual([7, 9]);
  });

  it('should narrow a longer needle from a cached shorter one', () => {
    expect(find('alice')).toEqual([3, 7]);
    // Slot 9 becomes Alice's while the cached "alice" is not told: narrowed from it, "alice
    // adams" cannot find slot 9, which a search of every case would.
    search.set(9, aCase({ key: 'SUP-9', assignee: 'Alice Adams' }));
    expect(find('alice adams')).toEqual([3, 7]);
    search.refresh([9], live);
    expect(find('alice adams')).toEqual([3, 7, 9]);
  });

  it('should forget the least recently used search past its limit', () => {
    find('alice');
    find('globex');
    find('alice');
    find('checkout');
    // "globex" was dropped: a change it was not told about shows; "alice" is still cached.
    search.set(8, aCase({ key: 'SUP-8', account: 'Globex', assignee: 'Alice Adams' }));
    expect(find('alice')).toEqual([3, 7]);
    expect(find('globex')).toEqual([7, 8]);
  });

  it('should test only the candidates when few are left, without caching', () => {
    const few = newBitset(SLOTS);
    setBit(few, 3);
    search.narrow(few, 'alice', live, SLOTS);
    expect(slotsOf(few)).toEqual([3]);
    search.set(9, aCase({ key: 'SUP-9', assignee: 'Alice Adams' }));
    expect(find('alice')).toEqual([3, 7, 9]);
  });

  it('should make room in its cached searches for more slots', () => {
    find('alice');
    search.grow(SLOTS * 2);
    const wide = newBitset(SLOTS * 2).fill(0xffffffff);
    search.set(100, aCase({ key: 'SUP-100', assignee: 'Alice Adams' }));
    search.refresh([100], wide);
    search.narrow(wide, 'alice', wide, SLOTS + 1);
    expect(slotsOf(wide)).toEqual([3, 7, 100]);
  });

  it('should forget every case and search on reset', () => {
    find('alice');
    search.reset();
    for (let slot = 0; slot < SLOTS; slot++) search.set(slot, aCase({ assignee: null }));
    expect(find('alice')).toEqual([]);
  });
});
