import { WorkerExitedError } from './worker-errors';
import type { WorkerProcess } from './worker-process';

/**
 * Rejects with a WorkerExitedError (exit code + log tail) as soon as the worker exits. Race it against the
 * wait for registration so a worker that dies fails the task at once instead of after the full timeout.
 * It also rejects when the exit was caused by `stop()`; Promise.race handles that rejection.
 */
export async function failOnEarlyExit(proc: WorkerProcess, tailLines = 40): Promise<never> {
  const { code, signal } = await proc.exited;
  throw new WorkerExitedError(code, signal, proc.logFile, proc.logTail(tailLines), proc.commandLine);
}
