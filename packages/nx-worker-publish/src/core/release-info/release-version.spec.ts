import { ReleaseInfoError } from './release-info-error';
import { releaseTagVersionWarning, resolveReleaseVersion } from './release-version';

const base = { tag: 'skills/v0.1.4', manifestLabel: 'skills/Cargo.toml' };

describe('resolveReleaseVersion', () => {
  it('takes the tag version when it equals the manifest version', () => {
    expect(resolveReleaseVersion({ ...base, fromTag: '0.1.4', fromManifest: () => '0.1.4' })).toEqual({ version: '0.1.4', warnings: [] });
  });

  it('takes the manifest version when there is no release tag', () => {
    expect(resolveReleaseVersion({ ...base, tag: undefined, fromManifest: () => '0.2.0' }).version).toBe('0.2.0');
  });

  it('fails before anything runs when the tag and the manifest disagree, naming both', () => {
    const run = () => resolveReleaseVersion({ ...base, fromTag: '0.1.5', fromManifest: () => '0.1.4' });
    expect(run).toThrow(ReleaseInfoError);
    expect(run).toThrow(/^tag version 0\.1\.5 does not match skills\/Cargo\.toml \(0\.1\.4\).*--version/);
  });

  it('lets the version option override, with a warning per version it overrides', () => {
    const result = resolveReleaseVersion({ ...base, option: '0.1.6', fromTag: '0.1.5', fromManifest: () => '0.1.4' });
    expect(result).toEqual({
      version: '0.1.6',
      warnings: [
        '⚠ the version option 0.1.6 overrides the version 0.1.5 of tag skills/v0.1.4',
        '⚠ the version option 0.1.6 overrides the version 0.1.4 of skills/Cargo.toml',
      ],
    });
  });

  it('lets the version option override even when the manifest has no readable version', () => {
    const result = resolveReleaseVersion({
      ...base,
      option: '0.1.6',
      fromTag: '0.1.5',
      fromManifest: () => {
        throw new Error('not read');
      },
    });
    expect(result).toEqual({ version: '0.1.6', warnings: ['⚠ the version option 0.1.6 overrides the version 0.1.5 of tag skills/v0.1.4'] });
  });
});

describe('releaseTagVersionWarning (collection)', () => {
  const warning = (input: Partial<Parameters<typeof releaseTagVersionWarning>[0]>) =>
    releaseTagVersionWarning({ tag: 'skills/v0.1.5', worker: 'skills', readManifestVersion: () => '0.1.4', manifestLabel: 'skills/Cargo.toml', ...input });

  it('warns on a tag of this worker naming another version than the manifest', () => {
    expect(warning({})).toMatch(/^⚠ tag version 0\.1\.5 does not match skills\/Cargo\.toml \(0\.1\.4\): publish-interface will refuse/);
  });

  it('says nothing without a tag, for another shape or worker, with a version option, an unreadable manifest, or a match', () => {
    expect(warning({ tag: undefined })).toBeUndefined();
    expect(warning({ tag: 'v0.1.5' })).toBeUndefined();
    expect(warning({ tag: 'other/v0.1.5' })).toBeUndefined();
    expect(warning({ version: '0.1.5' })).toBeUndefined();
    expect(warning({ readManifestVersion: () => { throw new Error('no version'); } })).toBeUndefined();
    expect(warning({ tag: 'skills/v0.1.4' })).toBeUndefined();
  });
});
