import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { WorkerExitedError } from './worker-errors';
import type { WorkerProcess } from './worker-process';

/**
 * Rejects with a WorkerExitedError (exit code + log tail) as soon as the worker exits. Race it against the
 * wait for registration so a worker that dies fails the task at once instead of after the full timeout.
 * It also rejects when the exit was caused by `stop()`; Promise.race handles that rejection.
 */
export async function failOnEarlyExit(proc: WorkerProcess, tailLines = 40, options: { cleanExitIsExpected?: boolean } = {}): Promise<never> {
  const { code, signal } = await proc.exited;
  // A launcher such as `iii worker add` exits 0 once it has handed the worker over: only a failure counts then.
  if (options.cleanExitIsExpected && code === 0) return new Promise<never>(() => {});
  throw new WorkerExitedError(code, signal, proc.logFile, proc.logTail(tailLines), proc.commandLine, await logFolderFault(proc.logFile));
}

/**
 * The worker writes its output straight into its log: on a full disk those writes fail, and a worker that cannot
 * write its output may well exit. Then the full log folder is the cause to report, not the worker.
 */
async function logFolderFault(logFile: string): Promise<string | undefined> {
  const folder = dirname(logFile);
  const stats = await statfs(folder).catch(() => undefined);
  return stats && stats.bavail === 0 ? `its log folder ${folder} is out of space: no space left on the device (ENOSPC)` : undefined;
}
