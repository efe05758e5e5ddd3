/** The engine binary could not be found. */
export class EngineCommandNotFoundError extends Error {
  override readonly name = 'EngineCommandNotFoundError';

  constructor(
    readonly command: string,
    readonly cwd: string,
  ) {
    super(
      `The iii engine command "${command}" was not found (started in ${cwd}). Install the iii CLI and put it on PATH, ` +
        `set the engineCommand option to its full path, or use engine: embedded, which needs no install.`,
    );
  }
}

/** The engine process ended before it answered the readiness probe. */
export class EngineExitedError extends Error {
  override readonly name = 'EngineExitedError';

  constructor(
    readonly commandLine: string,
    readonly code: number | null,
    readonly signal: string | null,
    readonly logFile: string,
    readonly logTail: string,
  ) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const tail = logTail.trim() ? `Last lines of ${logFile}:\n${logTail}` : `Its log ${logFile} is empty.`;
    super(`The iii engine (${commandLine}) ${how} before it was ready. Check that engineCommand runs an iii engine.\n${tail}`);
  }
}

/** No engine answered `engine::workers::list` at the URL in time. */
export class EngineNotReadyError extends Error {
  override readonly name = 'EngineNotReadyError';

  constructor(
    readonly url: string,
    readonly timeoutMs: number,
    readonly lastError: string | undefined,
    readonly logFile?: string,
    readonly logTail?: string,
  ) {
    const last = lastError ? ` (last attempt: ${lastError})` : '';
    const where = logFile
      ? `\n${logTail?.trim() ? `Last lines of ${logFile}:\n${logTail}` : `Its log ${logFile} is empty.`}`
      : ' Check that engineUrl points at a running iii engine (ws://host:port) reachable from here.';
    super(`No iii engine answered engine::workers::list at ${url} within ${timeoutMs / 1000} s${last}.${where}`);
  }
}

/** The engine could not bind its port (another process took it after we picked it). */
export class EnginePortTakenError extends Error {
  override readonly name = 'EnginePortTakenError';

  constructor(
    readonly port: number,
    readonly exited: EngineExitedError,
  ) {
    super(`port ${port} was taken before the engine could bind it.\n${exited.message}`);
  }
}

/** The engine options themselves are wrong (an empty command, a URL that is not ws://). */
export class EngineOptionError extends Error {
  override readonly name = 'EngineOptionError';
}
