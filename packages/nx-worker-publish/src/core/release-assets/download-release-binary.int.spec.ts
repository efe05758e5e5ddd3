import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadReleaseBinary, type DownloadReleaseBinaryOptions } from './download-release-binary';
import { ReleaseAssetError } from './release-asset-error';
import { type ReleaseServer, startReleaseServer } from './test-support/release-server';
import { makeRawTarGz, makeTarGz, markerScript, sha256Hex } from './test-support/tarball';

const TARGET = 'x86_64-unknown-linux-gnu';
const TAG = 'skills/v0.1.4';
const ARCHIVE = `${TAG}/skills-${TARGET}.tar.gz`;
const CHECKSUM = `${TAG}/skills-${TARGET}.sha256`;

describe('downloadReleaseBinary (real HTTP servers on 127.0.0.1, real tarballs)', () => {
  let server: ReleaseServer;
  let work: string;
  let cacheDir: string;
  let marker: string;
  let logLines: string[];

  beforeEach(async () => {
    server = await startReleaseServer();
    work = mkdtempSync(join(tmpdir(), 'release-binary-'));
    cacheDir = join(work, 'cache');
    marker = join(work, 'binary-ran');
    logLines = [];
  });
  afterEach(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  const options = (overrides: Partial<DownloadReleaseBinaryOptions> = {}): DownloadReleaseBinaryOptions => ({
    releaseBaseUrl: server.releaseBaseUrl,
    tag: TAG,
    bin: 'skills',
    target: TARGET,
    cacheDir,
    retry: { attempts: 3, baseDelayMs: 5 },
    log: (line) => logLines.push(line),
    ...overrides,
  });
  const workerArchive = () => makeTarGz({ skills: { content: markerScript(marker), mode: 0o755 }, 'README.md': '# skills\n' });
  const failure = async (promise: Promise<unknown>): Promise<ReleaseAssetError> => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ReleaseAssetError);
    return error as ReleaseAssetError;
  };
  const extractedEntries = () => (existsSync(join(cacheDir, 'extracted')) ? readdirSync(join(cacheDir, 'extracted')) : []);
  /** Whatever the cache holds besides its extracted assets and locks: the archive itself is never kept. */
  const strayFiles = () => (existsSync(cacheDir) ? readdirSync(cacheDir).filter((name) => !['extracted', 'locks'].includes(name)) : []);

  it('follows the 302 to the other port, verifies, extracts and returns a runnable binary', async () => {
    const archive = await workerArchive();
    const { sha256, archiveUrl, checksumUrl } = server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive });

    const result = await downloadReleaseBinary(options());

    expect(result).toMatchObject({ sha256, url: archiveUrl, checksumUrl, target: TARGET, fromCache: false });
    expect(result.binaryPath).toBe(join(cacheDir, 'extracted', sha256, 'skills'));
    expect(statSync(result.binaryPath).mode & 0o777).toBe(0o755);
    expect(result.timings.bytes).toBe(archive.length);
    for (const phase of ['checksumMs', 'downloadMs', 'verifyMs', 'extractMs', 'totalMs'] as const) {
      expect(result.timings[phase]).toBeGreaterThanOrEqual(0);
    }
    // Both files went through the redirect to the storage server.
    expect(server.requests.map(({ server: s, asset }) => `${s} ${asset}`)).toEqual([
      `origin ${CHECKSUM}`,
      `storage ${CHECKSUM}`,
      `origin ${ARCHIVE}`,
      `storage ${ARCHIVE}`,
    ]);
    expect(strayFiles()).toEqual([]);
    // Positive control for the refusal tests: this "binary" really leaves its marker when run.
    execFileSync(result.binaryPath, { cwd: work });
    expect(existsSync(marker)).toBe(true);
  });

  it('sends Authorization to the release host only, never across the redirect to another port, and never logs it', async () => {
    server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive: await workerArchive() });

    await downloadReleaseBinary(options({ githubToken: 'ghs_secret-token-123' }));

    const origin = server.requests.filter((r) => r.server === 'origin');
    const storage = server.requests.filter((r) => r.server === 'storage');
    expect(origin).toHaveLength(2);
    expect(origin.every((r) => r.authorization === 'Bearer ghs_secret-token-123')).toBe(true);
    expect(storage).toHaveLength(2);
    expect(storage.map((r) => r.authorization)).toEqual([undefined, undefined]);
    expect(logLines.join('\n')).not.toContain('ghs_secret');
  });

  it('does not download a cached asset again: a second resolve fetches only the .sha256', async () => {
    server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive: await workerArchive() });
    const first = await downloadReleaseBinary(options());
    const archiveRequests = server.requestsFor('.tar.gz').length;

    const second = await downloadReleaseBinary(options());

    expect(second.fromCache).toBe(true);
    expect(second.binaryPath).toBe(first.binaryPath);
    expect(server.requestsFor('.tar.gz')).toHaveLength(archiveRequests);
    expect(server.requestsFor('.sha256')).toHaveLength(4);
    expect(second.timings.bytes).toBe(0);

    // The archive is not kept: without its extracted folder, the asset is downloaded again.
    rmSync(join(cacheDir, 'extracted'), { recursive: true });
    const third = await downloadReleaseBinary(options());
    expect(third.fromCache).toBe(false);
    expect(existsSync(third.binaryPath)).toBe(true);
    expect(server.requestsFor('.tar.gz')).toHaveLength(2 * archiveRequests);

    // An extracted folder whose binary was deleted by hand is replaced, not trusted.
    rmSync(third.binaryPath);
    const fourth = await downloadReleaseBinary(options());
    expect(fourth.fromCache).toBe(false);
    expect(fourth.binaryPath).toBe(third.binaryPath);
    expect(statSync(fourth.binaryPath).mode & 0o777).toBe(0o755);
    expect(server.requestsFor('.tar.gz')).toHaveLength(3 * archiveRequests);
  });

  it('retries a 503 and then succeeds', async () => {
    const { sha256 } = server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive: await workerArchive() });
    server.failNext(ARCHIVE, { status: 503 });

    const result = await downloadReleaseBinary(options());

    expect(result.sha256).toBe(sha256);
    expect(server.requestsFor('.tar.gz').filter((r) => r.server === 'storage')).toHaveLength(2);
    expect(logLines.some((line) => line.includes('HTTP 503') && line.includes('attempt 2 of 3'))).toBe(true);
  });

  it('retries a connection reset in the middle of the body and ends with an intact file', async () => {
    // Big enough that half of it is really sent before the socket is cut.
    const archive = await makeTarGz({ skills: { content: markerScript(marker), mode: 0o755 }, 'data.bin': Buffer.alloc(256 * 1024, 7) });
    const { sha256 } = server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive });
    server.failNext(ARCHIVE, { resetMidBody: true });

    const result = await downloadReleaseBinary(options());

    expect(server.requestsFor('.tar.gz').filter((r) => r.server === 'storage')).toHaveLength(2);
    expect(result.timings.bytes).toBe(archive.length);
    expect(sha256Hex(readFileSync(join(result.binaryPath, '..', 'data.bin')))).toBe(sha256Hex(Buffer.alloc(256 * 1024, 7)));
  });

  it('gives up after the configured attempts on a persistent 5xx, naming the URL', async () => {
    const { archiveUrl } = server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive: await workerArchive() });
    server.failNext(ARCHIVE, { status: 502 }, { status: 503 }, { status: 504 });

    const error = await failure(downloadReleaseBinary(options()));

    expect(error.message).toContain(archiveUrl);
    expect(error.message).toContain('HTTP 504');
    expect(error.message).toContain('Gave up after 3 attempts');
    expect(server.requestsFor('.tar.gz').filter((r) => r.server === 'storage')).toHaveLength(3);
    expect(strayFiles()).toEqual([]);
  });

  it('refuses an asset whose sha256 does not match: deleted, never extracted, never run', async () => {
    const archive = await workerArchive();
    const wrong = sha256Hex('something else');
    const { archiveUrl, sha256 } = server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive, checksum: wrong });

    const error = await failure(downloadReleaseBinary(options()));

    expect(error.kind).toBe('checksum-mismatch');
    expect(error.message).toContain(archiveUrl);
    expect(error.message).toContain(sha256);
    expect(error.message).toContain(wrong);
    expect(existsSync(marker)).toBe(false);
    expect(extractedEntries()).toEqual([]);
    expect(strayFiles()).toEqual([]);
  });

  it('reports a checksum mismatch, not a bad archive, when a corrupt body was being extracted as it arrived', async () => {
    const archive = Buffer.from('not a gzip stream at all '.repeat(4096));
    server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive, checksum: sha256Hex('the real archive') });

    const error = await failure(downloadReleaseBinary(options()));

    expect(error.kind).toBe('checksum-mismatch');
    expect(extractedEntries()).toEqual([]); // the temporary extraction folder is gone
    expect(strayFiles()).toEqual([]);
  });

  it('fails at once on a 404, naming the URL (no retries)', async () => {
    const error = await failure(downloadReleaseBinary(options({ tag: 'skills/v9.9.9' })));

    expect(error.kind).toBe('not-found');
    expect(error.message).toContain(`${server.releaseBaseUrl}/skills/v9.9.9/skills-${TARGET}.sha256`);
    expect(error.message).toContain('404');
    expect(server.requests).toHaveLength(1);
  });

  it('names the archive URL when only the archive is missing', async () => {
    const { archiveUrl } = server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive: await workerArchive() });
    server.removeAsset(ARCHIVE);

    const error = await failure(downloadReleaseBinary(options()));

    expect(error.kind).toBe('not-found');
    expect(error.message).toContain(archiveUrl);
  });

  it('fails at once on another 4xx, naming URL and status', async () => {
    server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive: await workerArchive() });
    server.failNext(CHECKSUM, { status: 403 });

    const error = await failure(downloadReleaseBinary(options()));

    expect(error.message).toContain(`${server.releaseBaseUrl}/${CHECKSUM}`);
    expect(error.message).toContain('HTTP 403');
    expect(server.requestsFor('.sha256').filter((r) => r.server === 'storage')).toHaveLength(1);
  });

  it('refuses a .sha256 that holds no checksum, naming its URL', async () => {
    server.setAsset(CHECKSUM, '<html>rate limited</html>');
    const error = await failure(downloadReleaseBinary(options()));
    expect(error.kind).toBe('bad-checksum-file');
    expect(error.message).toContain(`${server.releaseBaseUrl}/${CHECKSUM}`);
  });

  describe('unsafe archives are refused before anything is written', () => {
    const script = () => ({ path: 'skills', content: markerScript(marker), mode: 0o755 });

    it.each([
      ['a ".." entry', { path: '../escape.txt', content: 'pwned' }, '"../escape.txt"', '".." segment'],
      ['a nested ".." entry', { path: 'dir/../../escape.txt', content: 'pwned' }, '"dir/../../escape.txt"', '".." segment'],
      ['an absolute entry', { path: '/tmp/escape.txt', content: 'pwned' }, '"/tmp/escape.txt"', 'absolute'],
      ['a symlink out of the folder', { path: 'link', type: 'SymbolicLink' as const, linkpath: '../../../outside' }, '"link -> ../../../outside"', 'leaves the extraction folder'],
      ['an absolute symlink', { path: 'link', type: 'SymbolicLink' as const, linkpath: '/etc/passwd' }, '"link -> /etc/passwd"', 'absolute path'],
      ['a hard link out of the folder', { path: 'hard', type: 'Link' as const, linkpath: '../x' }, '"hard -> ../x"', 'leaves the extraction folder'],
      ['a FIFO', { path: 'pipe', type: 'FIFO' as const }, '"pipe"', 'FIFO'],
      ['a device', { path: 'tty', type: 'CharacterDevice' as const }, '"tty"', 'CharacterDevice'],
    ])('%s', async (_name, evil, named, why) => {
      const archive = makeRawTarGz([script(), evil]);
      server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive });

      const error = await failure(downloadReleaseBinary(options()));

      expect(error.kind).toBe('unsafe-archive');
      expect(error.message).toContain(named);
      expect(error.message).toContain(why);
      expect(extractedEntries()).toEqual([]);
      expect(existsSync(join(cacheDir, 'escape.txt'))).toBe(false);
      expect(existsSync(join(cacheDir, 'extracted', 'escape.txt'))).toBe(false);
      expect(existsSync(marker)).toBe(false);
    });

    it('a symlinked folder used to write outside', async () => {
      const archive = makeRawTarGz([script(), { path: 'd', type: 'SymbolicLink', linkpath: '.' }, { path: 'd/x', content: 'x' }]);
      server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive });
      const error = await failure(downloadReleaseBinary(options()));
      expect(error.message).toContain('written through the symbolic link "d"');
      expect(extractedEntries()).toEqual([]);
    });
  });

  it('refuses an archive that inflates more than 1000:1 (a gzip bomb), leaving nothing behind', async () => {
    const archive = await makeTarGz({ skills: { content: markerScript(marker), mode: 0o755 }, 'zeros.bin': Buffer.alloc(32 * 1024 * 1024) });
    const { archiveUrl } = server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive });

    const error = await failure(downloadReleaseBinary(options()));

    expect(error.kind).toBe('bad-archive');
    expect(error.message).toContain(archiveUrl);
    expect(error.message).toContain('max decompression ratio exceeded');
    expect(extractedEntries()).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });

  it('accepts a symlink that stays inside the folder', async () => {
    const archive = makeRawTarGz([
      { path: 'skills', content: markerScript(marker), mode: 0o755 },
      { path: 'docs', type: 'Directory' },
      { path: 'docs/skills-link', type: 'SymbolicLink', linkpath: '../skills' },
    ]);
    server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive });
    const result = await downloadReleaseBinary(options());
    expect(readFileSync(join(result.binaryPath, '..', 'docs', 'skills-link'), 'utf8')).toContain('#!/bin/sh');
  });

  it('finds the binary in a single nested folder', async () => {
    const archive = await makeTarGz({ [`skills-${TARGET}/skills`]: { content: markerScript(marker), mode: 0o644 }, [`skills-${TARGET}/LICENSE`]: 'MIT' });
    const { sha256 } = server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive });

    const result = await downloadReleaseBinary(options());

    expect(result.binaryPath).toBe(join(cacheDir, 'extracted', sha256, `skills-${TARGET}`, 'skills'));
    expect(statSync(result.binaryPath).mode & 0o777).toBe(0o755);
  });

  it('lists the archive entries when the binary is not in it', async () => {
    const archive = await makeTarGz({ 'README.md': '# hi', 'iii-skills': { content: markerScript(marker), mode: 0o755 }, 'deep/er/skills': 'x' });
    const { archiveUrl } = server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive });

    const error = await failure(downloadReleaseBinary(options()));

    expect(error.kind).toBe('binary-not-found');
    expect(error.message).toContain(archiveUrl);
    expect(error.message).toContain('no file named "skills"');
    for (const entry of ['README.md', 'iii-skills', 'deep/er/skills']) expect(error.message).toContain(entry);
    expect(extractedEntries()).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });

  it('lets two parallel resolves of one asset share one intact cache entry', async () => {
    const archive = await makeTarGz({ skills: { content: markerScript(marker), mode: 0o755 }, 'data.bin': Buffer.alloc(512 * 1024, 3) });
    const { sha256 } = server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive });

    const [a, b] = await Promise.all([downloadReleaseBinary(options()), downloadReleaseBinary(options())]);

    expect(a.binaryPath).toBe(b.binaryPath);
    expect(a.sha256).toBe(sha256);
    expect(strayFiles()).toEqual([]);
    expect(extractedEntries()).toEqual([sha256]);
    expect(sha256Hex(readFileSync(join(a.binaryPath, '..', 'data.bin')))).toBe(sha256Hex(Buffer.alloc(512 * 1024, 3)));
  });

  it('refuses Windows .zip targets before downloading anything', async () => {
    const error = await failure(downloadReleaseBinary(options({ target: 'x86_64-pc-windows-msvc' })));
    expect(error.kind).toBe('unsupported-archive');
    expect(error.message).toContain('skills-x86_64-pc-windows-msvc.zip');
    expect(server.requests).toHaveLength(0);
  });
});
