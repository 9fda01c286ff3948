import { decodeEntities } from './html.js';

describe(decodeEntities.name, () => {
  it('should decode the named entities GLPI uses', () => {
    expect(
      decodeEntities('&lt;p&gt;Tom &amp; Jerry said &quot;hi&quot; &apos;twice&apos;&lt;/p&gt;'),
    ).toBe(`<p>Tom & Jerry said "hi" 'twice'</p>`);
  });

  it('should decode a non-breaking space to a plain space', () => {
    expect(decodeEntities('a&nbsp;b')).toBe('a b');
  });

  it('should decode named entities in any letter case', () => {
    expect(decodeEntities('&LT;b&GT;')).toBe('<b>');
  });

  it('should decode decimal character references', () => {
    expect(decodeEntities('caf&#233; &#60;x&#62;')).toBe('café <x>');
  });

  it('should decode hexadecimal character references with either x', () => {
    expect(decodeEntities('&#xE9;&#XE9;&#x1F600;')).toBe('éé\u{1F600}');
  });

  it('should keep an unknown named entity as written', () => {
    expect(decodeEntities('&copy; &bogus; &amp;')).toBe('&copy; &bogus; &');
  });

  it('should keep references to impossible code points as written', () => {
    expect(decodeEntities('&#0;&#x110000;')).toBe('&#0;&#x110000;');
  });

  it('should decode only once', () => {
    expect(decodeEntities('&amp;lt;')).toBe('&lt;');
    expect(decodeEntities('&amp;amp;')).toBe('&amp;');
  });

  it('should leave text without entities and a lone ampersand unchanged', () => {
    expect(decodeEntities('R&D costs & more; a&b')).toBe('R&D costs & more; a&b');
  });
});
