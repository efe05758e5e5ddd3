/** A user-facing CLI failure: printed as one paragraph (no stack trace) and turned into the exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad flags or subcommand: clap-style exit code 2, with the usage to fix it. */
export class CliUsageError extends CliError {
  constructor(problem: string, usage: string) {
    super(`${problem}\n\n${usage}`, 2);
    this.name = 'CliUsageError';
  }
}
