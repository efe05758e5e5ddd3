import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { downloadAndExtract } from './download-and-extract';
import { extractTarGz } from './extract-archive';
import { fetchChecksum } from './fetch-checksum';
import { withDispatcher } from './http-get';
import { ReleaseAssetError } from './release-asset-error';
import { type ReleaseAssetRef, releaseAssetUrls } from './release-asset-urls';
import {
  defaultReleaseCacheDir,
  findExtractedBinary,
  isFile,
  releaseCachePaths,
  sha256OfFile,
  sweepStaleTemps,
  uniqueTempPath,
} from './release-cache';
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
}

/** Milliseconds per phase, for the benchmark's breakdown. Hashing and extraction run while downloading. */
export interface DownloadTimings {
  /** fetching `{bin}-{target}.sha256` */
  checksumMs: number;
  /** streaming the archive to disk, hashing and extracting it as it arrives; 0 when cached */
  downloadMs: number;
  /** comparing hashes, plus re-hashing a cached archive before extracting it */
  verifyMs: number;
  /** extraction time not hidden behind the download (all of it for a cached archive); 0 when already extracted */
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
  /** True when the archive was not downloaded (already in the cache). */
  fromCache: boolean;
  timings: DownloadTimings;
}

/**
 * Downloads `{releaseBaseUrl}/{tag}/{bin}-{target}.tar.gz`, verifies it against its `.sha256`, extracts
 * it and returns the binary's path. The download is hashed and extracted (into a private folder) while it
 * arrives; nothing enters the cache or runs before the hash matches, and a mismatch deletes both. A verified
 * archive is downloaded once per cache.
 */
export async function downloadReleaseBinary(options: DownloadReleaseBinaryOptions): Promise<DownloadedAsset> {
  const urls = releaseAssetUrls(options);
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

  return withDispatcher(options, async (dispatcher) => {
    let mark = performance.now();
    const sha256 = await fetchChecksum(urls.checksumUrl, dispatcher, options);
    timings.checksumMs = performance.now() - mark;

    const paths = releaseCachePaths(cacheDir, sha256, urls.archiveFormat);
    const alreadyExtracted = await findExtractedBinary(paths.extracted, options.bin);
    if (alreadyExtracted) {
      options.log?.(`using cached ${urls.archiveName} (sha256 ${sha256.slice(0, 12)}…)`);
      return done(alreadyExtracted, sha256, true);
    }
    await mkdir(paths.assetsDir, { recursive: true });
    await mkdir(paths.extractedDir, { recursive: true });

    if (await isFile(paths.archive)) {
      mark = performance.now();
      // Content-addressed, but re-hash before trusting it: a truncated or edited cache file must not run.
      const intact = (await sha256OfFile(paths.archive)) === sha256;
      if (!intact) await rm(paths.archive, { force: true });
      timings.verifyMs += performance.now() - mark;
      if (intact) {
        mark = performance.now();
        const binaryPath = await extractIntoCache(paths.archive, paths.extractedDir, paths.extracted, options.bin, urls.archiveUrl);
        timings.extractMs = performance.now() - mark;
        return done(binaryPath, sha256, true);
      }
    }

    const request = { url: urls.archiveUrl, checksumUrl: urls.checksumUrl, expectedSha256: sha256, bin: options.bin, ...paths };
    const overlapped = await downloadAndExtract(request, dispatcher, options);
    Object.assign(timings, { downloadMs: overlapped.downloadMs, verifyMs: timings.verifyMs + overlapped.verifyMs, bytes: overlapped.bytes });
    mark = performance.now();
    const binaryPath = await moveIntoCache(overlapped.extractedTemp, paths.extracted, options.bin, urls.archiveUrl);
    timings.extractMs = overlapped.extractMs + (performance.now() - mark);
    await sweepStaleTemps(paths.assetsDir);
    return done(binaryPath, sha256, false);
  });
}

/** Extracts a verified cached archive into a private temp folder, then moves it into place. */
async function extractIntoCache(archive: string, extractedDir: string, finalDir: string, bin: string, source: string): Promise<string> {
  const temp = uniqueTempPath(extractedDir, 'extract');
  await mkdir(temp);
  try {
    await extractTarGz(archive, temp, bin, source);
  } catch (error) {
    await rm(temp, { recursive: true, force: true, maxRetries: 3 });
    throw error;
  }
  return moveIntoCache(temp, finalDir, bin, source);
}

/** Renames a finished extraction folder into place; if a parallel task got there first, use theirs. */
async function moveIntoCache(temp: string, finalDir: string, bin: string, source: string): Promise<string> {
  try {
    if (!(await renameUnlessTaken(temp, finalDir)) && !(await findExtractedBinary(finalDir, bin))) {
      // Taken by a folder without the binary (damaged by hand): replace it with ours.
      await rm(finalDir, { recursive: true, force: true });
      await renameUnlessTaken(temp, finalDir);
    }
  } finally {
    await rm(temp, { recursive: true, force: true, maxRetries: 3 });
  }
  await sweepStaleTemps(dirname(finalDir));
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
