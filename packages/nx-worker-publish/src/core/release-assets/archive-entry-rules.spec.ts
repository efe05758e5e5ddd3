import { ArchiveEntryRules, DEFAULT_ARCHIVE_LIMITS, describeEntries, locateBinary, normalizeEntryPath } from './archive-entry-rules';

describe('ArchiveEntryRules', () => {
  const refusal = (...entries: Array<{ path: string; type?: string; linkpath?: string }>) => {
    const rules = new ArchiveEntryRules();
    let last: string | undefined;
    for (const entry of entries) last = rules.refusal({ type: 'File', ...entry });
    return last;
  };

  it.each([
    [{ path: 'skills' }],
    [{ path: './skills' }],
    [{ path: './', type: 'Directory' }],
    [{ path: 'dir/', type: 'Directory' }],
    [{ path: 'dir/link', type: 'SymbolicLink', linkpath: '../skills' }],
    [{ path: 'link', type: 'SymbolicLink', linkpath: 'dir/./skills' }],
    [{ path: 'hard', type: 'Link', linkpath: 'dir/skills' }],
    [{ path: 'a..b' }],
  ])('accepts %j', (entry) => expect(refusal(entry)).toBeUndefined());

  it.each([
    [{ path: '../escape' }, 'its path contains a ".." segment'],
    [{ path: 'dir/../../escape' }, '".." segment'],
    [{ path: 'dir\\..\\..\\escape' }, '".." segment'],
    [{ path: '/etc/passwd' }, 'its path is absolute'],
    [{ path: 'C:\\Windows\\x' }, 'its path is absolute'],
    [{ path: 'evil', type: 'SymbolicLink', linkpath: '/etc/passwd' }, 'links to the absolute path "/etc/passwd"'],
    [{ path: 'evil', type: 'SymbolicLink', linkpath: '../outside' }, 'link target "../outside" leaves the extraction folder'],
    [{ path: 'dir/evil', type: 'SymbolicLink', linkpath: '../../outside' }, 'leaves the extraction folder'],
    [{ path: 'evil', type: 'SymbolicLink', linkpath: '' }, 'symbolic link with no target'],
    [{ path: 'hard', type: 'Link', linkpath: '../outside' }, 'leaves the extraction folder'],
    [{ path: 'fifo', type: 'FIFO' }, 'it is a FIFO entry'],
    [{ path: 'tty', type: 'CharacterDevice' }, 'it is a CharacterDevice entry'],
    [{ path: 'disk', type: 'BlockDevice' }, 'it is a BlockDevice entry'],
    [{ path: '', type: 'File' }, 'empty path'],
  ])('refuses %j because %s', (entry, reason) => expect(refusal(entry)).toContain(reason));

  it('refuses writing through a symlink that an earlier entry created', () => {
    expect(refusal({ path: 'd', type: 'SymbolicLink', linkpath: '.' }, { path: 'd/x', type: 'File' })).toContain(
      'written through the symbolic link "d"',
    );
  });

  it('refuses a hard link to a symlink (its relative target would be read from a new place)', () => {
    expect(refusal({ path: 'a/s', type: 'SymbolicLink', linkpath: '../x' }, { path: 't', type: 'Link', linkpath: 'a/s' })).toContain(
      'hard-links to the symbolic link',
    );
  });
});

describe('locateBinary', () => {
  const file = (path: string) => ({ path, type: 'File' });

  it('finds the binary at the root, with or without ./ or .exe', () => {
    expect(locateBinary([file('README.md'), file('./skills')], 'skills')).toEqual({ path: 'skills' });
    expect(locateBinary([file('skills.exe')], 'skills')).toEqual({ path: 'skills.exe' });
  });

  it('finds it in exactly one top-level folder', () => {
    expect(locateBinary([{ path: 'skills-x/', type: 'Directory' }, file('skills-x/skills')], 'skills')).toEqual({ path: 'skills-x/skills' });
  });

  it('does not take a folder, a deeper file or an ambiguous pair', () => {
    expect(locateBinary([{ path: 'skills/', type: 'Directory' }], 'skills')).toHaveProperty('problem');
    expect(locateBinary([file('a/b/skills')], 'skills')).toHaveProperty('problem');
    expect(locateBinary([file('a/skills'), file('b/skills')], 'skills')).toEqual({
      problem: '"skills" is in more than one folder (a/skills, b/skills), so it is ambiguous',
    });
  });
});

describe('normalizeEntryPath / describeEntries', () => {
  it('normalizes', () => expect(normalizeEntryPath('./a//b/')).toBe('a/b'));
  it('lists entries, bounded', () => {
    expect(describeEntries([])).toBe('the archive is empty');
    expect(describeEntries([{ path: 'd', type: 'Directory' }, { path: 'l', type: 'SymbolicLink', linkpath: 'x' }])).toBe('it holds: d/, l -> x');
    expect(describeEntries(Array.from({ length: 5 }, (_, i) => ({ path: `f${i}`, type: 'File' })), 2)).toBe('it holds: f0, f1, and 3 more');
  });
});

describe('ArchiveEntryRules: link chains and limits (issue 12 #5, #9)', () => {
  const run = (rules: ArchiveEntryRules, ...entries: Array<{ path: string; type?: string; linkpath?: string; size?: number }>) =>
    entries.map((entry) => rules.refusal({ type: 'File', ...entry }));

  it('resolves link targets through earlier symlinks', () => {
    const rules = new ArchiveEntryRules();
    expect(run(rules, { path: 't', type: 'SymbolicLink', linkpath: '.' }, { path: 's1', type: 'SymbolicLink', linkpath: 't/..' })).toEqual([
      undefined,
      'its link target "t/.." leaves the extraction folder through a chain of symbolic links',
    ]);
    const nested = new ArchiveEntryRules();
    const [, , last] = run(
      nested,
      { path: 'a/b', type: 'SymbolicLink', linkpath: '..' },
      { path: 'c', type: 'SymbolicLink', linkpath: 'a/b/b' },
      { path: 'd', type: 'SymbolicLink', linkpath: 'a/b/../..' },
    );
    expect(last).toContain('leaves the extraction folder');
    expect(run(new ArchiveEntryRules(), { path: 'lib', type: 'SymbolicLink', linkpath: 'lib64' }, { path: 'l', type: 'SymbolicLink', linkpath: 'lib/x.so' })).toEqual([undefined, undefined]);
  });

  it('refuses a loop of links', () => {
    const rules = new ArchiveEntryRules();
    const results = run(
      rules,
      { path: 'a', type: 'SymbolicLink', linkpath: 'b' },
      { path: 'b', type: 'SymbolicLink', linkpath: 'a' },
      { path: 'c', type: 'SymbolicLink', linkpath: 'a/x' },
    );
    expect(results[2]).toContain('goes through more than 40 symbolic links (a loop)');
  });

  it('has the documented defaults and counts bytes of files only', () => {
    expect(DEFAULT_ARCHIVE_LIMITS).toEqual({ maxBytes: 2 * 1024 ** 3, maxEntries: 100_000, maxDepth: 32 });
    const rules = new ArchiveEntryRules({ maxBytes: 100 });
    expect(rules.limitExceeded({ path: 'd', type: 'Directory', size: 5000 })).toBeUndefined();
    expect(rules.limitExceeded({ path: 'a', type: 'File', size: 100 })).toBeUndefined();
    expect(rules.limitExceeded({ path: 'b', type: 'File', size: 1 })).toBe('its files add up to more than 100 bytes (the maxArchiveBytes limit)');
  });
});
