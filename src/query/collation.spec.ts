import { collationKey } from './collation.js';

function sorted(values: string[]): string[] {
  return [...values].sort((a, b) => {
    const ka = collationKey(a);
    const kb = collationKey(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

describe(collationKey.name, () => {
  it('should ignore case', () => {
    expect(collationKey('ACME Corp')).toBe(collationKey('acme corp'));
    expect(sorted(['beta', 'Alpha', 'alpha2', 'Gamma'])).toEqual([
      'Alpha',
      'alpha2',
      'beta',
      'Gamma',
    ]);
  });

  it('should ignore accents', () => {
    expect(collationKey('Éclair')).toBe(collationKey('eclair'));
    expect(sorted(['Zoë', 'Émile', 'Eve', 'Dora'])).toEqual(['Dora', 'Émile', 'Eve', 'Zoë']);
  });

  it('should compare digit runs by value', () => {
    expect(sorted(['SUP-10', 'SUP-9', 'SUP-100', 'sup-2'])).toEqual([
      'sup-2',
      'SUP-9',
      'SUP-10',
      'SUP-100',
    ]);
    expect(sorted(['10', '9', '100', '1', '20'])).toEqual(['1', '9', '10', '20', '100']);
    expect(sorted(['v1.10', 'v1.9', 'v1.9.1'])).toEqual(['v1.9', 'v1.9.1', 'v1.10']);
  });

  it('should compare numbers of nine digits and more by value too', () => {
    expect(sorted(['123456789', '99999999', '1000000000'])).toEqual([
      '99999999',
      '123456789',
      '1000000000',
    ]);
  });

  it('should treat leading zeros as the same number', () => {
    expect(collationKey('Case 007')).toBe(collationKey('case 7'));
    expect(sorted(['0', '00', '1'])).toEqual(['0', '00', '1']);
  });

  it('should sort a number against other characters as its first digit would', () => {
    expect(sorted(['a', '1'])).toEqual(['1', 'a']);
    expect(sorted(['a1', 'a-b', 'a b'])).toEqual(['a b', 'a-b', 'a1']);
    expect(sorted(['a1b', 'a1', 'a10'])).toEqual(['a1', 'a1b', 'a10']);
  });
});
