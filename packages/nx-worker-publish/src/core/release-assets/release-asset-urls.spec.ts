import { ReleaseAssetError } from './release-asset-error';
import { releaseAssetUrls } from './release-asset-urls';
import { DEFAULT_RELEASE_TARGETS, hostReleaseTarget, isWindowsTarget } from './release-targets';
import { parseChecksumFile } from './fetch-checksum';

describe('releaseAssetUrls', () => {
  const base = 'https://github.com/example/workers/releases/download';

  it('builds the tar.gz and .sha256 URLs of the workers repo (RBA test fixture)', () => {
    expect(releaseAssetUrls({ releaseBaseUrl: base, tag: 'image-resize/v0.1.0', bin: 'image-resize', target: 'x86_64-unknown-linux-gnu' })).toEqual({
      archiveName: 'image-resize-x86_64-unknown-linux-gnu.tar.gz',
      archiveFormat: 'tar.gz',
      archiveUrl: 'https://github.com/example/workers/releases/download/image-resize/v0.1.0/image-resize-x86_64-unknown-linux-gnu.tar.gz',
      // #42: no archive extension in the checksum name
      checksumUrl: 'https://github.com/example/workers/releases/download/image-resize/v0.1.0/image-resize-x86_64-unknown-linux-gnu.sha256',
    });
  });

  it('uses .zip for Windows targets and keeps the checksum name', () => {
    const urls = releaseAssetUrls({ releaseBaseUrl: `${base}/`, tag: 'skills/v0.1.4-rc.1', bin: 'skills', target: 'x86_64-pc-windows-msvc' });
    expect(urls.archiveUrl).toBe(`${base}/skills/v0.1.4-rc.1/skills-x86_64-pc-windows-msvc.zip`);
    expect(urls.checksumUrl).toBe(`${base}/skills/v0.1.4-rc.1/skills-x86_64-pc-windows-msvc.sha256`);
    expect(urls.archiveFormat).toBe('zip');
  });

  it.each([
    [{ tag: 'skills/../v1' }, /release tag "skills\/..\/v1"/],
    [{ tag: 'skills/v1 beta' }, /release tag/],
    [{ tag: '' }, /release tag/],
    [{ bin: 'a/b' }, /binary name "a\/b"/],
    [{ target: 'x86?' }, /target "x86\?"/],
    [{ releaseBaseUrl: 'file:///etc' }, /releaseBaseUrl "file:\/\/\/etc"/],
  ])('refuses %j', (override, message) => {
    const build = () => releaseAssetUrls({ releaseBaseUrl: base, tag: 'skills/v1', bin: 'skills', target: 'x86_64-unknown-linux-gnu', ...override });
    expect(build).toThrow(ReleaseAssetError);
    expect(build).toThrow(message);
  });
});

describe('release targets', () => {
  it('lists the 9 targets of the release matrix', () => {
    expect(DEFAULT_RELEASE_TARGETS).toHaveLength(9);
    expect(DEFAULT_RELEASE_TARGETS.filter(isWindowsTarget)).toEqual(['x86_64-pc-windows-msvc', 'i686-pc-windows-msvc', 'aarch64-pc-windows-msvc']);
  });

  it.each([
    ['linux', 'x64', 'x86_64-unknown-linux-gnu'],
    ['linux', 'arm64', 'aarch64-unknown-linux-gnu'],
    ['linux', 'arm', 'armv7-unknown-linux-gnueabihf'],
    ['darwin', 'arm64', 'aarch64-apple-darwin'],
    ['darwin', 'x64', 'x86_64-apple-darwin'],
    ['win32', 'x64', 'x86_64-pc-windows-msvc'],
    ['freebsd', 'x64', 'x86_64-unknown-linux-gnu'],
    ['linux', 'riscv64', 'x86_64-unknown-linux-gnu'],
  ] as const)('maps %s/%s to %s', (platform, arch, target) => {
    expect(hostReleaseTarget(platform, arch, () => false)).toBe(target);
  });

  it('picks the musl build on a musl linux x64 host', () => {
    expect(hostReleaseTarget('linux', 'x64', () => true)).toBe('x86_64-unknown-linux-musl');
  });

  it('maps this host to one of the release targets', () => {
    expect(DEFAULT_RELEASE_TARGETS).toContain(hostReleaseTarget());
  });
});

describe('parseChecksumFile', () => {
  const hex = 'ab'.repeat(32);
  const url = 'https://h/x.sha256';

  it('takes the first token of sha256sum output, lower-cased', () => {
    expect(parseChecksumFile(`${hex.toUpperCase()}  skills-x86_64-unknown-linux-gnu.tar.gz\n`, url)).toBe(hex);
    expect(parseChecksumFile(`\n  ${hex}\n`, url)).toBe(hex);
  });

  it.each(['', 'not-a-hash  file.tar.gz', `${hex}0  f`, '<html>Not Found</html>'])('refuses %j naming the URL', (text) => {
    expect(() => parseChecksumFile(text, url)).toThrow(ReleaseAssetError);
    expect(() => parseChecksumFile(text, url)).toThrow(`${url} does not start with a sha256 checksum`);
  });
});
