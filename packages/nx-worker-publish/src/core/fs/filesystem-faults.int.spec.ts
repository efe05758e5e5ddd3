import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadReleaseBinary, type DownloadReleaseBinaryOptions } from '../release-assets/download-release-binary';
import { ReleaseAssetError } from '../release-assets/release-asset-error';
import { type ReleaseServer, startReleaseServer } from '../release-assets/test-support/release-server';
import { makeTarGz } from '../release-assets/test-support/tarball';
import { failOnEarlyExit } from '../worker-process/fail-on-early-exit';
import { WorkerExitedError } from '../worker-process/worker-errors';
import { startWorkerProcess } from '../worker-process/worker-process';
import { FileSystemError } from './fs-fault';
import { writeFileAtomic } from './write-file-atomic';

// Real filesystem faults: a full disk is a small tmpfs, a read-only folder a tmpfs mounted read-only (root ignores
// file modes, so chmod cannot make one). Mounting needs root; without it these tests are skipped, and say so.
const work = mkdtempSync(join(tmpdir(), 'fs-faults-'));
const probe = join(work, 'probe');
mkdirSync(probe);
const canMount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
if (canMount) spawnSync('umount', [probe]);
else console.warn('filesystem-faults: skipped, `mount -t tmpfs` needs root (it is how a full or read-only disk is made here)');

const mounts: string[] = [];
/** A fresh tmpfs of `size` (e.g. "256k"), optionally read-only. */
function tmpfs(size: string, readOnly = false): string {
  const dir = mkdtempSync(join(work, 'mnt-'));
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${readOnly ? ',ro' : ''}`, 'tmpfs', dir]);
  if (result.status !== 0) throw new Error(`mount failed: ${result.stderr}`);
  mounts.push(dir);
  return dir;
}
const remountReadOnly = (dir: string) => expect(spawnSync('mount', ['-o', 'remount,ro', dir]).status).toBe(0);

afterAll(() => {
  for (const dir of mounts.reverse()) spawnSync('umount', ['-l', dir]);
  rmSync(work, { recursive: true, force: true });
});

const failure = async <T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
};

(canMount ? describe : describe.skip)('filesystem faults name the path and the cause, and leave nothing partial', () => {
  describe('writing an output file (the interface, the payload)', () => {
    it('on a full disk: ENOSPC, the previous file unchanged, no temporary file left', async () => {
      const dist = tmpfs('64k');
      const file = join(dist, 'worker-interface.json');
      writeFileSync(file, '{"previous":true}\n');
      const error = await failure(writeFileAtomic(file, 'x'.repeat(256 * 1024)), FileSystemError);
      expect(error.message).toContain(`could not write ${file}: no space left on the device (ENOSPC)`);
      expect(readFileSync(file, 'utf8')).toBe('{"previous":true}\n');
      expect(readdirSync(dist)).toEqual(['worker-interface.json']);
    });

    it('in a read-only folder: EROFS (not ENOENT), the previous file unchanged', async () => {
      const dist = tmpfs('64k');
      mkdirSync(join(dist, 'workers'));
      writeFileSync(join(dist, 'workers', 'worker-interface.json'), 'previous\n');
      remountReadOnly(dist);
      const error = await failure(writeFileAtomic(join(dist, 'workers', 'worker-interface.json'), 'new\n'), FileSystemError);
      expect(error.message).toContain('the file system is read-only (EROFS)');
      expect(readFileSync(join(dist, 'workers', 'worker-interface.json'), 'utf8')).toBe('previous\n');
      const nested = await failure(writeFileAtomic(join(dist, 'dist', 'workers', 'calc', 'worker-interface.json'), 'new\n'), FileSystemError);
      expect(nested.message).toMatch(/could not write .*worker-interface\.json \(at .*\/dist\): the file system is read-only \(EROFS\)/);
    });
  });

  describe('the release download cache', () => {
    let server: ReleaseServer;
    beforeAll(async () => {
      server = await startReleaseServer();
      // 512 KiB of random bytes: the archive cannot compress them, so extracting needs that much room.
      const archive = await makeTarGz({ skills: { content: randomBytes(512 * 1024).toString('base64'), mode: 0o755 } });
      server.publish({ tag: 'skills/v1.0.0', bin: 'skills', target: 'x86_64-unknown-linux-gnu', archive });
    });
    afterAll(() => server.close());

    const options = (cacheDir: string): DownloadReleaseBinaryOptions => ({
      releaseBaseUrl: server.releaseBaseUrl,
      tag: 'skills/v1.0.0',
      bin: 'skills',
      target: 'x86_64-unknown-linux-gnu',
      cacheDir,
      retry: { attempts: 1, baseDelayMs: 1 },
    });

    it('out of space while extracting: a disk fault, not "a bad archive", and nothing cached', async () => {
      const cacheDir = tmpfs('256k');
      const error = await failure(downloadReleaseBinary(options(cacheDir)), ReleaseAssetError);
      expect(error.message).toMatch(/^Could not extract .*skills-x86_64-unknown-linux-gnu\.tar\.gz into .*: no space left on the device \(ENOSPC\)/);
      expect(error.message).not.toContain('Check how the release builds its archives');
      expect(readdirSync(join(cacheDir, 'extracted'))).toEqual([]);
    });

    it('read-only, also when the asset is already cached: EROFS named with the cache folder', async () => {
      const cacheDir = tmpfs('4m');
      const first = await downloadReleaseBinary(options(cacheDir));
      expect(first.fromCache).toBe(false);
      remountReadOnly(cacheDir);
      const error = await failure(downloadReleaseBinary(options(cacheDir)), ReleaseAssetError);
      expect(error.message).toMatch(new RegExp(`^The download cache ${cacheDir} cannot be used for .*: the file system is read-only \\(EROFS\\)`));
      expect(existsSync(first.binaryPath)).toBe(true);
    });

    it('a file where the cache folder should be: ENOTDIR named with the cache folder', async () => {
      const file = join(work, 'not-a-folder');
      writeFileSync(file, '');
      const error = await failure(downloadReleaseBinary(options(join(file, 'cache'))), ReleaseAssetError);
      expect(error.message).toContain(`The download cache ${join(file, 'cache')} cannot be used`);
      expect(error.message).toContain('a part of the path is a file, not a folder (ENOTDIR)');
    });
  });

  it('a full log folder is named as the cause when the worker exits before it registered', async () => {
    const logs = tmpfs('64k');
    // Writes its output with writeSync, as a worker's logger does: on the full disk that throws and the worker exits.
    const proc = await startWorkerProcess(
      { command: process.execPath, args: [join(__dirname, '..', 'worker-process', 'test-support', 'write-lots.js')], cwd: work, env: { LINES: '20000' } },
      { logFile: join(logs, 'worker.log'), graceMs: 500 },
    );
    const error = await failure(failOnEarlyExit(proc), WorkerExitedError);
    await proc.stop();
    expect(error.message).toMatch(
      new RegExp(`^worker exited with code 1 before it registered, and its log folder ${logs} is out of space: no space left on the device \\(ENOSPC\\)`),
    );
  });
});
