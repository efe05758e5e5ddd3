import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { downloadReleaseBinary, type DownloadReleaseBinaryOptions } from './download-release-binary';
import { ReleaseAssetError } from './release-asset-error';
import { releaseLockPath, uniqueTempPath } from './release-cache';
import { type ReleaseServer, startReleaseServer } from './test-support/release-server';
import { makeRawTarGz, makeTarGz, markerScript, sha256Hex } from './test-support/tarball';

// Archive bounds (#5), symlink chains and temporary folders (#9), one download per asset (#12): issue 12.
jest.setTimeout(30_000);

const TARGET = 'x86_64-unknown-linux-gnu';
const TAG = 'skills/v0.1.4';
const ARCHIVE = `skills-${TARGET}.tar.gz`;

let server: ReleaseServer;
let work: string;
let cacheDir: string;
let marker: string;
let logLines: string[];

beforeEach(async () => {
  server = await startReleaseServer();
  work = mkdtempSync(join(tmpdir(), 'cache-hardening-'));
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
  retry: { attempts: 2, baseDelayMs: 5 },
  log: (line) => logLines.push(line),
  ...overrides,
});
const publish = (archive: Buffer) => server.publish({ tag: TAG, bin: 'skills', target: TARGET, archive });
const failure = async (promise: Promise<unknown>): Promise<ReleaseAssetError> => {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ReleaseAssetError);
  return error as ReleaseAssetError;
};
/** Every name under the cache's extracted/ folder that is a temporary. */
const temporaries = () =>
  (existsSync(join(cacheDir, 'extracted')) ? readdirSync(join(cacheDir, 'extracted')) : []).filter((n) => n.startsWith('.tmp-'));
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid;

describe('archive limits', () => {
  const threeFiles = () =>
    makeTarGz({ skills: { content: markerScript(marker), mode: 0o755 }, 'a/b/c/d/data.bin': Buffer.alloc(3000), 'more.bin': Buffer.alloc(3000) });

  it.each([
    [{ maxBytes: 4000 }, 'its files add up to more than 4000 bytes (the maxArchiveBytes limit)'],
    [{ maxEntries: 2 }, 'it has more than 2 entries (the maxArchiveEntries limit)'],
    [{ maxDepth: 3 }, 'is 5 folders deep, more than 3 (the maxArchivePathDepth limit)'],
  ])('%j refuses the archive with a message naming the limit, leaving nothing behind', async (archiveLimits, message) => {
    publish(await threeFiles());
    const error = await failure(downloadReleaseBinary(options({ archiveLimits })));
    expect(error.kind).toBe('archive-too-large');
    expect(error.message).toContain(message);
    expect(error.message).toContain('raise the limit');
    expect(existsSync(marker)).toBe(false);
    expect(readdirSync(join(cacheDir, 'extracted'))).toEqual([]);
  });

  it('the same archive passes with the limits raised (control)', async () => {
    publish(await threeFiles());
    const result = await downloadReleaseBinary(options({ archiveLimits: { maxBytes: 1 << 20, maxEntries: 50, maxDepth: 8 } }));
    expect(existsSync(result.binaryPath)).toBe(true);
  });
});

describe('symlink chains and temporary folders', () => {
  it('refuses t -> . then s1 -> t/.. with the real reason, even with entries after it, and leaves no temp folder', async () => {
    publish(
      makeRawTarGz([
        { path: 't', type: 'SymbolicLink', linkpath: '.' },
        { path: 's1', type: 'SymbolicLink', linkpath: 't/..' },
        { path: 's1/escaped', content: 'outside!' },
        { path: 'skills', content: markerScript(marker), mode: 0o755 },
        ...Array.from({ length: 20 }, (_, i) => ({ path: `dir${i}/file`, content: 'x'.repeat(100) })),
      ]),
    );
    const error = await failure(downloadReleaseBinary(options()));
    expect(error.kind).toBe('unsafe-archive');
    expect(error.message).toContain('entry "s1 -> t/.." is unsafe because its link target "t/.." leaves the extraction folder through a chain of symbolic links');
    expect(error.message).not.toMatch(/ENOTEMPTY|not a readable/);
    expect(temporaries()).toEqual([]);
    expect(readdirSync(join(cacheDir, 'extracted'))).toEqual([]);
    expect(existsSync(join(cacheDir, 'escaped'))).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it('sweeps temporaries of dead tasks at start, keeps those of running ones', async () => {
    publish(await makeTarGz({ skills: { content: markerScript(marker), mode: 0o755 } }));
    // Names as uniqueTempPath makes them on this host, for a dead and a running owner; and one from another host.
    const named = (pid: number) => uniqueTempPath(join(cacheDir, 'extracted'), 'extract').replace(`-${process.pid}-`, `-${pid}-`);
    const stale = named(deadPid());
    const live = named(process.ppid);
    const otherHost = join(cacheDir, 'extracted', `.tmp-extract-00000000-${deadPid()}-0123456789ab`);
    mkdirSync(otherHost, { recursive: true });
    for (const dir of [stale, live]) mkdirSync(join(dir, 'half'), { recursive: true });

    await downloadReleaseBinary(options());

    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(otherHost)).toBe(true); // its pid means nothing here: only age removes it
  });

  it('Ctrl-C during the download leaves no temporary behind', async () => {
    // A host that sends the headers and a little of the body, then nothing: the task is stuck mid-download.
    const stall = createServer((_req, res) => {
      if (_req.url?.endsWith('.sha256')) return res.end(`${sha256Hex('whatever')}  ${ARCHIVE}\n`);
      res.writeHead(200, { 'content-length': '10000000' });
      res.write(Buffer.alloc(64 * 1024));
    });
    await new Promise<void>((done) => stall.listen(0, '127.0.0.1', done));
    const releaseBaseUrl = `http://127.0.0.1:${(stall.address() as AddressInfo).port}`;
    const compiled = resolve(__dirname, '../../../dist/core/release-assets/index.js');
    if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run npm run build first`);
    const script = `require(${JSON.stringify(compiled)}).downloadReleaseBinary(${JSON.stringify({ releaseBaseUrl, tag: TAG, bin: 'skills', target: TARGET, cacheDir })}).catch(() => {});`;
    const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
    const exited = new Promise<string | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    try {
      // The folder the download is extracted into as it arrives.
      for (let i = 0; i < 300 && temporaries().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(temporaries()).toHaveLength(1);
      child.kill('SIGINT');
      expect(await exited).toBe('SIGINT');
      expect(temporaries()).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      stall.closeAllConnections();
      await new Promise((done) => stall.close(done));
    }
  });
});

describe('parallel collections of one asset', () => {
  it('six parallel downloads into an empty cache fetch the archive once; the others wait and use it', async () => {
    const { sha256 } = publish(await makeTarGz({ skills: { content: markerScript(marker), mode: 0o755 } }));

    const results = await Promise.all(Array.from({ length: 6 }, () => downloadReleaseBinary(options())));

    expect(server.requestsFor('.tar.gz').filter((r) => r.server === 'storage')).toHaveLength(1);
    expect(new Set(results.map((r) => r.binaryPath)).size).toBe(1);
    expect(results.filter((r) => !r.fromCache)).toHaveLength(1);
    expect(results.every((r) => r.sha256 === sha256)).toBe(true);
    expect(logLines.filter((line) => line.startsWith('waiting for another task'))).toHaveLength(5);
    expect(existsSync(join(cacheDir, 'locks')) && readdirSync(join(cacheDir, 'locks'))).toEqual([]);
  });

  it('a lock left by a crashed holder is taken over', async () => {
    publish(await makeTarGz({ skills: { content: markerScript(marker), mode: 0o755 } }));
    const lock = releaseLockPath(cacheDir, `${server.releaseBaseUrl}/${TAG}/${ARCHIVE}`);
    mkdirSync(join(cacheDir, 'locks'), { recursive: true });
    writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: require('node:os').hostname(), token: 'crashed' }));

    const result = await downloadReleaseBinary(options());

    expect(existsSync(result.binaryPath)).toBe(true);
    expect(logLines.join('\n')).toMatch(/taking over the stale lock .* \(its holder, pid \d+, is gone\)/);
    expect(existsSync(lock)).toBe(false);
  });
});
