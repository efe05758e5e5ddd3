import { randomBytes, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type ArchiveEntryInfo, locateBinary } from './archive-entry-rules';

/**
 * Content-addressed: archives are stored under their sha256, so a cached file is whatever the release
 * checksum names, whichever tag or worker asked for it. Every write goes to a unique temporary name in
 * the same folder and is renamed into place, so a parallel task never sees a partial file.
 *
 *   <cacheDir>/assets/<sha256>.tar.gz      verified archives
 *   <cacheDir>/extracted/<sha256>/...      their extracted contents (binary already chmod 755)
 */
export function defaultReleaseCacheDir(workspaceRoot?: string): string {
  return workspaceRoot ? join(resolve(workspaceRoot), '.nx', 'cache', 'worker-publish') : join(tmpdir(), 'worker-publish-cache');
}

export function releaseCachePaths(cacheDir: string, sha256: string, archiveFormat: string) {
  const assetsDir = join(cacheDir, 'assets');
  const extractedDir = join(cacheDir, 'extracted');
  return {
    assetsDir,
    extractedDir,
    archive: join(assetsDir, `${sha256}.${archiveFormat}`),
    extracted: join(extractedDir, sha256),
  };
}

/** A name no other process or task can pick; dot-prefixed so it is never mistaken for a cache entry. */
export function uniqueTempPath(dir: string, label: string): string {
  return join(dir, `.tmp-${label}-${process.pid}-${randomBytes(6).toString('hex')}`);
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

export async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/** The binary inside an already extracted folder (root or one top-level folder), if the folder exists. */
export async function findExtractedBinary(dir: string, bin: string): Promise<string | undefined> {
  const top = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
  if (!top) return undefined;
  const entries: ArchiveEntryInfo[] = [];
  for (const entry of top) {
    if (entry.isFile()) entries.push({ path: entry.name, type: 'File' });
    if (entry.isDirectory()) {
      const nested = await readdir(join(dir, entry.name), { withFileTypes: true }).catch(() => []);
      for (const child of nested) if (child.isFile()) entries.push({ path: `${entry.name}/${child.name}`, type: 'File' });
    }
  }
  const located = locateBinary(entries, bin);
  return 'path' in located ? join(dir, located.path) : undefined;
}

/** Removes temporary files a killed task left behind; only old ones, so a running download is never touched. */
export async function sweepStaleTemps(dir: string, maxAgeMs = 24 * 60 * 60 * 1000): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const now = Date.now();
  for (const name of names.filter((n) => n.startsWith('.tmp-'))) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && now - info.mtimeMs > maxAgeMs) await rm(path, { recursive: true, force: true }).catch(() => undefined);
  }
}
