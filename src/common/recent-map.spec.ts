import { setRecent, touchRecent } from './recent-map.js';

describe('recent map', () => {
  it('should drop the entries set longest ago once the map holds its most', () => {
    const map = new Map<string, number>();
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) setRecent(map, key, i, 3);
    expect([...map.keys()]).toEqual(['b', 'c', 'd']);
  });

  it('should count a key set again or touched as the most recent', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    touchRecent(map, 'a', 1);
    setRecent(map, 'b', 20, 3);
    expect([...map]).toEqual([
      ['c', 3],
      ['a', 1],
      ['b', 20],
    ]);
    setRecent(map, 'd', 4, 3);
    expect([...map.keys()]).toEqual(['a', 'b', 'd']);
  });
});
