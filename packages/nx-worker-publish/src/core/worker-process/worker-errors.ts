/** The worker process ended before the engine saw it register. Carries the exit and the log tail. */
export class WorkerExitedError extends Error {
  override readonly name = 'WorkerExitedError';

  constructor(
    readonly code: number | null,
    readonly signal: string | null,
    readonly logFile: string,
    readonly logTail: string,
    readonly commandLine?: string,
    /** A fault of the machine that explains the exit (e.g. the log folder is full), named first when there is one. */
    readonly machineFault?: string,
  ) {
    super(
      machineFault
        ? `worker ${signal ? `was killed by ${signal}` : `exited with code ${code}`} before it registered, and ${machineFault}: the worker's ` +
            `output could not be written there, which can make it exit. Free space on it, or set logDir to a folder with room, and run again.`
        : describeExit(code, signal, logFile, logTail, commandLine),
    );
  }
}

/** The command of a launch could not be started at all (missing, not executable, or a missing cwd). */
export class WorkerSpawnError extends Error {
  override readonly name = 'WorkerSpawnError';

  constructor(
    readonly command: string,
    readonly cwd: string,
    readonly reason: 'command-not-found' | 'not-executable' | 'cwd-not-found' | 'other',
    detail?: string,
  ) {
    super(describeSpawnFailure(command, cwd, reason, detail));
  }
}

function describeExit(code: number | null, signal: string | null, logFile: string, tail: string, commandLine?: string): string {
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const what = commandLine ? ` (${commandLine})` : '';
  const hint =
    code === 127 && !signal
      ? ' Exit code 127 means the shell could not find the command: check the start script and that its tools are installed.'
      : '';
  const shownTail = tail.trim() ? `\nLast lines of ${logFile}:\n${tail}` : `\nIts log ${logFile} is empty.`;
  return `worker ${how} before it registered${what}.${hint}${shownTail}`;
}

function describeSpawnFailure(command: string, cwd: string, reason: WorkerSpawnError['reason'], detail?: string): string {
  switch (reason) {
    case 'cwd-not-found':
      return `Cannot start "${command}": its working folder ${cwd} does not exist. Check the worker's project root.`;
    case 'command-not-found':
      return `Cannot start "${command}" in ${cwd}: the command was not found. Install it or put it on PATH, or give the full path to it.`;
    case 'not-executable':
      return `Cannot start "${command}" in ${cwd}: the file is not executable (chmod +x it, or run it through its interpreter).`;
    default:
      return `Cannot start "${command}" in ${cwd}: ${detail ?? 'unknown error'}.`;
  }
}
