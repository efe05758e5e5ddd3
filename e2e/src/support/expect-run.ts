import type { NxRun } from './run-nx';

function describeRun(run: NxRun): string {
  const leftovers = run.leftovers.map((p) => `  pid ${p.pid}: ${p.commandLine}`).join('\n');
  return `${run.command} exited with ${run.exitCode ?? `signal ${run.signal}`}${leftovers ? `; processes left behind:\n${leftovers}` : ''}\n--- output ---\n${run.output}`;
}

/** The run succeeded and left no process behind; on failure the message carries the whole output. */
export function expectSuccess(run: NxRun): void {
  if (run.exitCode !== 0 || run.leftovers.length > 0) throw new Error(`expected success with no process left behind.\n${describeRun(run)}`);
}

/** The run failed with a non-zero exit code (not killed by a signal) and left no process behind. */
export function expectFailure(run: NxRun): void {
  if (run.exitCode === 0 || run.exitCode === null || run.leftovers.length > 0) {
    throw new Error(`expected a non-zero exit with no process left behind.\n${describeRun(run)}`);
  }
}

/** Text a user must never see on failure: a JavaScript stack trace. */
export const STACK_TRACE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;
