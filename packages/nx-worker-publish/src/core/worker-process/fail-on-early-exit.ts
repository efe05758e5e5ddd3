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
  throw new WorkerExitedError(code, signal, proc.logFile, proc.logTail(tailLines), proc.commandLine);
}
