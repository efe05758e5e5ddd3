import { randomBytes, createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { trackExitCleanup } from '../worker-process/live-children';
import { type ArchiveEntryInfo, locateBinary } from './archive-entry-rules';

/**
 * Content-addressed: an asset is stored extracted, under the sha256 its release checksum names, whichever tag or
 * worker asked for it. The archive itself is never kept: it is hashed and extracted in one pass as it arrives. Every
 * write goes to a unique temporary name in the same folder and is renamed into place, so a parallel task never sees a
 * partial folder.
 *
 *   <cacheDir>/extracted/<sha256>/...      verified assets, extracted (binary already chmod 755)
 *   <cacheDir>/locks/<sha256 of url>.lock  held by the one task fetching that asset (release-cache-lock.ts)
 */
export function defaultReleaseCacheDir(workspaceRoot?: string): string {
  return workspaceRoot ? join(resolve(workspaceRoot), '.nx', 'cache', 'worker-publish') : join(tmpdir(), 'worker-publish-cache');
}

export function releaseCachePaths(cacheDir: string, sha256: string) {
  const extractedDir = join(cacheDir, 'extracted');
  return { extractedDir, extracted: join(extractedDir, sha256) };
}

/** The lock of one asset URL (a hash of it: URLs hold `/` and may be long). */
export function releaseLockPath(cacheDir: string, url: string): string {
  return join(cacheDir, 'locks', `${createHash('sha256').update(url).digest('hex').slice(0, 32)}.lock`);
}

/** A name no other process or task can pick; dot-prefixed so it is never mistaken for a cache entry. */
export function uniqueTempPath(dir: string, label: string): string {
  return join(dir, `.tmp-${label}-${HOST_TAG}-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** Names the host in temporary names: a pid says whether the owner runs only on the host that made it. */
const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

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

/** The pid in a name made by uniqueTempPath on this host (`.tmp-<label>-<host>-<pid>-<hex>`); else undefined. */
const ownerPid = (name: string): number | undefined => {
  const [, host, pid] = /^\.tmp-[a-z]+-([0-9a-f]{8})-(\d+)-[0-9a-f]+$/.exec(name) ?? [];
  return host === HOST_TAG && Number(pid) > 0 ? Number(pid) : undefined;
};

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes temporary files and folders a killed task left behind: those whose owner process is gone, and any older
 * than `maxAgeMs` (a pid may have been reused). A running task's temporaries are never touched.
 */
export async function sweepStaleTemps(dir: string, maxAgeMs = 24 * 60 * 60 * 1000): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const now = Date.now();
  for (const name of names.filter((n) => n.startsWith('.tmp-'))) {
    const path = join(dir, name);
    const owner = ownerPid(name);
    const ownerGone = owner !== undefined && owner !== process.pid && !isRunning(owner);
    const info = await stat(path).catch(() => undefined);
    if (info && (ownerGone || now - info.mtimeMs > maxAgeMs)) await removeTemp(path).catch(() => undefined);
  }
}

/**
 * Runs `work` with a temporary path that is removed afterwards, whatever happens: on success, failure, Ctrl-C or
 * SIGTERM. Removal retries ENOTEMPTY: tar may still be finishing a write when the extraction fails.
 */
export async function withTempPath<T>(path: string, work: (path: string) => Promise<T>): Promise<T> {
  const untrack = trackExitCleanup(() => rmSync(path, { recursive: true, force: true }));
  try {
    return await work(path);
  } finally {
    await removeTemp(path);
    untrack();
  }
}

export const removeTemp = (path: string) => rm(path, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
