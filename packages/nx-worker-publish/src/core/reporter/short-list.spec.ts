import { shortList } from './short-list';

describe('shortList (issue 19 #11)', () => {
  it('lists a few names as they are', () => {
    expect(shortList(['a', 'b'])).toBe('a, b');
  });

  it('cuts a long list to its first names and a count', () => {
    const names = Array.from({ length: 300 }, (_, index) => `fn${index}.request_schema`);
    const line = shortList(names);
    expect(line).toBe(`${names.slice(0, 8).join(', ')} and 292 more (300 in all; --verbose lists them)`);
    expect(line.length).toBeLessThan(250);
  });
});
