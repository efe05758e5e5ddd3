import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, open, readFile, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { trackExitCleanup } from '../worker-process/live-children';

export interface CacheLockOptions {
  /** A lock not refreshed for this long is stale whoever holds it (default 60 s; the holder refreshes every 5 s). */
  staleMs?: number;
  pollMs?: number;
  log?: (line: string) => void;
  /** What the lock guards, for the waiting message. */
  what?: string;
}

interface Holder {
  pid: number;
  host: string;
  token: string;
}

const REFRESH_MS = 5_000;

/**
 * Runs `work` holding `lockFile` (created exclusively in the cache folder), so parallel tasks that need the same
 * release asset download it once: the others wait, then find it in the cache. A lock whose holder crashed is taken
 * over: its pid is gone (same host), or it was not refreshed for `staleMs`. The lock only saves work; the cache
 * stays correct without it (every write is a rename into place).
 */
export async function withCacheLock<T>(lockFile: string, options: CacheLockOptions, work: () => Promise<T>): Promise<T> {
  const holder: Holder = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') };
  await mkdir(dirname(lockFile), { recursive: true });
  await acquire(lockFile, holder, options);
  const untrack = trackExitCleanup(() => releaseSync(lockFile, holder));
  const refresh = setInterval(() => void utimes(lockFile, new Date(), new Date()).catch(() => undefined), REFRESH_MS);
  refresh.unref();
  try {
    return await work();
  } finally {
    clearInterval(refresh);
    untrack();
    if ((await readHolder(lockFile))?.token === holder.token) await rm(lockFile, { force: true });
  }
}

async function acquire(lockFile: string, holder: Holder, options: CacheLockOptions): Promise<void> {
  const staleMs = options.staleMs ?? 60_000;
  const pollMs = options.pollMs ?? 100;
  let announced = false;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx');
      try {
        await handle.writeFile(JSON.stringify(holder));
      } finally {
        await handle.close();
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = await readHolder(lockFile);
    const info = await stat(lockFile).catch(() => undefined);
    if (!info) continue; // released in between
    const crashed = current !== undefined && current.host === holder.host && !isRunning(current.pid);
    if (crashed || Date.now() - info.mtimeMs > staleMs) {
      options.log?.(`taking over the stale lock ${lockFile} (${crashed ? `its holder, pid ${current!.pid}, is gone` : 'not refreshed'})`);
      await rm(lockFile, { force: true });
      continue;
    }
    if (!announced) {
      options.log?.(`waiting for another task (pid ${current?.pid ?? '?'}) that is fetching ${options.what ?? 'the same release asset'}`);
      announced = true;
    }
    await sleep(pollMs);
  }
}

async function readHolder(lockFile: string): Promise<Holder | undefined> {
  try {
    const value = JSON.parse(await readFile(lockFile, 'utf8')) as Holder;
    return typeof value?.pid === 'number' ? value : undefined;
  } catch {
    return undefined; // missing, or being written right now
  }
}

function releaseSync(lockFile: string, holder: Holder): void {
  try {
    if ((JSON.parse(readFileSync(lockFile, 'utf8')) as Holder).token === holder.token) rmSync(lockFile, { force: true });
  } catch {
    // gone already
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
