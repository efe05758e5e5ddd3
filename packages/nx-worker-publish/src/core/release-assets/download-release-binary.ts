import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { downloadStream } from './download-stream';
import type { ArchiveLimits } from './archive-entry-rules';
import { ArchiveExtraction } from './extract-archive';
import { fetchChecksum } from './fetch-checksum';
import { type DownloadTimeouts, withDispatcher } from './http-get';
import { ReleaseAssetError } from './release-asset-error';
import { type ReleaseAssetRef, type ReleaseAssetUrls, releaseAssetUrls } from './release-asset-urls';
import {
  defaultReleaseCacheDir,
  findExtractedBinary,
  releaseCachePaths,
  releaseLockPath,
  sweepStaleTemps,
  uniqueTempPath,
  withTempPath,
} from './release-cache';
import { withCacheLock } from './release-cache-lock';
import { fsFaultCause, fsFaultPath } from '../fs/fs-fault';
import type { DownloadRetryOptions } from './retry';

export interface DownloadReleaseBinaryOptions extends ReleaseAssetRef {
  /** Default: `<workspaceRoot>/.nx/cache/worker-publish`, or `<tmpdir>/worker-publish-cache` without a workspaceRoot. */
  cacheDir?: string;
  workspaceRoot?: string;
  /** Sent to the release host only; never logged. */
  githubToken?: string;
  retry?: DownloadRetryOptions;
  log?: (line: string) => void;
  dispatcher?: Dispatcher;
  /** Idle timeout and total deadline per asset. */
  timeouts?: DownloadTimeouts;
  /** Bounds on what the archive may extract. */
  archiveLimits?: ArchiveLimits;
  /** Other asset names than `{bin}-{target}` (a bundle's `{worker}.tar.gz`); `bin` is then the file the archive must hold. */
  urls?: ReleaseAssetUrls;
}

/** Milliseconds per phase, for the benchmark's breakdown. Hashing and extraction run while downloading. */
export interface DownloadTimings {
  /** fetching `{bin}-{target}.sha256` */
  checksumMs: number;
  /** streaming the archive while hashing and extracting it; 0 when cached */
  downloadMs: number;
  /** comparing the download's hash with the release's */
  verifyMs: number;
  /** what is left of the extraction after the last byte, and moving it into the cache; 0 when cached */
  extractMs: number;
  totalMs: number;
  /** archive bytes downloaded (0 when cached) */
  bytes: number;
}

export interface DownloadedAsset {
  /** Absolute path of the extracted, executable binary (inside the cache: never modify it). */
  binaryPath: string;
  sha256: string;
  /** The archive URL. */
  url: string;
  checksumUrl: string;
  target: string;
  /** True when the asset was not downloaded (already extracted in the cache). */
  fromCache: boolean;
  timings: DownloadTimings;
}

/**
 * Downloads `{releaseBaseUrl}/{tag}/{bin}-{target}.tar.gz`, hashing and extracting it in one pass as the bytes
 * arrive, verifies it against its `.sha256` and returns the binary's path. A verified archive is downloaded once per
 * cache; one whose hash does not match is deleted with its temporary extraction: nothing from it enters the cache
 * or runs.
 */
export async function downloadReleaseBinary(options: DownloadReleaseBinaryOptions): Promise<DownloadedAsset> {
  const urls = options.urls ?? releaseAssetUrls(options);
  if (urls.archiveFormat !== 'tar.gz') {
    throw new ReleaseAssetError(
      `${urls.archiveUrl} is a .zip archive for ${options.target}, which cannot be run on this host. Use a Linux or macOS hostTarget (e.g. x86_64-unknown-linux-gnu).`,
      'unsupported-archive',
      { url: urls.archiveUrl },
    );
  }
  const cacheDir = resolve(options.cacheDir ?? defaultReleaseCacheDir(options.workspaceRoot));
  const started = performance.now();
  const timings: DownloadTimings = { checksumMs: 0, downloadMs: 0, verifyMs: 0, extractMs: 0, totalMs: 0, bytes: 0 };
  const done = (binaryPath: string, sha256: string, fromCache: boolean): DownloadedAsset => {
    timings.totalMs = performance.now() - started;
    return { binaryPath, sha256, url: urls.archiveUrl, checksumUrl: urls.checksumUrl, target: options.target, fromCache, timings };
  };

  // One task per asset downloads it; parallel ones wait for the lock, then find it in the cache.
  const lock = { log: options.log, what: urls.archiveUrl };
  return useCacheDir(cacheDir, urls.archiveUrl, () => withCacheLock(releaseLockPath(cacheDir, urls.archiveUrl), lock, () => withDispatcher(options, async (dispatcher) => {
    let mark = performance.now();
    const sha256 = await fetchChecksum(urls.checksumUrl, dispatcher, options, urls.archiveName);
    timings.checksumMs = performance.now() - mark;

    const paths = releaseCachePaths(cacheDir, sha256);
    const alreadyExtracted = await findExtractedBinary(paths.extracted, options.bin);
    if (alreadyExtracted) {
      options.log?.(`using cached ${urls.archiveName} (sha256 ${sha256.slice(0, 12)}…)`);
      return done(alreadyExtracted, sha256, true);
    }
    await mkdir(paths.extractedDir, { recursive: true });
    await sweepStaleTemps(paths.extractedDir); // left by killed tasks
    const binaryPath = await downloadAndExtract(urls, sha256, paths, dispatcher, options, timings);
    return done(binaryPath, sha256, false);
  })));
}

/**
 * Runs `work` on the download cache, reporting a machine fault there (a read-only, full or misplaced `cacheDir`) as
 * what it is, naming the path and the cause, instead of a raw EROFS/ENOTDIR. Nothing partial enters the cache.
 */
async function useCacheDir<T>(cacheDir: string, url: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const cause = fsFaultCause(error);
    if (error instanceof ReleaseAssetError || !cause) throw error;
    const at = fsFaultPath(error);
    throw new ReleaseAssetError(
      `The download cache ${cacheDir} cannot be used for ${url}: ${cause}${at ? ` at ${at}` : ''}. ` +
        'Set cacheDir to a writable folder with room (or free space there); nothing partial was cached.',
      'local-io',
      { url },
    );
  }
}

/**
 * Downloads the archive and extracts it while the bytes arrive, into a private temporary folder (one subfolder per
 * attempt). Nothing enters the cache, and nothing is made executable, before the whole download's sha256 matches.
 */
async function downloadAndExtract(
  urls: ReleaseAssetUrls,
  expected: string,
  paths: ReturnType<typeof releaseCachePaths>,
  dispatcher: Dispatcher,
  options: DownloadReleaseBinaryOptions,
  timings: DownloadTimings,
): Promise<string> {
  const url = urls.archiveUrl;
  const binaryPath = await withTempPath(uniqueTempPath(paths.extractedDir, 'extract'), async (temp) => {
    await mkdir(temp, { mode: 0o700 }); // unverified files: for this user's eyes only
    let attempts = 0;
    const startExtraction = async () => {
      const dir = join(temp, String(++attempts));
      await mkdir(dir);
      return new ArchiveExtraction(dir, options.bin, url, options.archiveLimits);
    };
    options.log?.(`downloading ${url}`);
    let mark = performance.now();
    const { sha256, bytes, sink: extraction } = await downloadStream(url, dispatcher, options, startExtraction);
    timings.downloadMs = performance.now() - mark;
    timings.bytes = bytes;

    mark = performance.now();
    if (sha256 !== expected) {
      await extraction.discard();
      throw new ReleaseAssetError(
        `Refusing ${url}: its sha256 is ${sha256}, but ${urls.checksumUrl} says ${expected}. ` +
          'The download was deleted and nothing from it was run. The release assets are inconsistent (re-upload them) or were tampered with.',
        'checksum-mismatch',
        { url },
      );
    }
    timings.verifyMs = performance.now() - mark;

    mark = performance.now();
    await extraction.end();
    await extraction.result();
    const placed = await placeExtraction(extraction.destDir, paths.extracted, options.bin, url);
    timings.extractMs = performance.now() - mark;
    return placed;
  });
  await sweepStaleTemps(paths.extractedDir);
  return binaryPath;
}

/** Renames an extracted folder into the cache; if a parallel task got there first, use theirs. */
async function placeExtraction(temp: string, finalDir: string, bin: string, source: string): Promise<string> {
  if (!(await renameUnlessTaken(temp, finalDir)) && !(await findExtractedBinary(finalDir, bin))) {
    // Taken by a folder without the binary (damaged by hand): replace it with ours.
    await rm(finalDir, { recursive: true, force: true });
    await renameUnlessTaken(temp, finalDir);
  }
  const binaryPath = await findExtractedBinary(finalDir, bin);
  if (!binaryPath) {
    throw new ReleaseAssetError(`${source} was extracted to ${finalDir}, but "${bin}" is not there.`, 'binary-not-found', { url: source });
  }
  return binaryPath;
}

/** Renames a folder into place; false when a folder is already there (a parallel task won the race). */
async function renameUnlessTaken(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EISDIR') throw error;
    if (!(await stat(to).catch(() => undefined))?.isDirectory()) throw error;
    return false;
  }
}
