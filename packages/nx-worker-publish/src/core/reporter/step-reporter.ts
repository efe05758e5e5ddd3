/** Where progress goes: the Nx executor passes its logger, the CLI passes stdout/stderr. */
export interface Reporter {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
  /** Printed only with --verbose (commands, log file paths). */
  verbose(line: string): void;
}

export const consoleReporter = (isVerbose = false): Reporter => ({
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
  verbose: (line) => {
    if (isVerbose) console.log(line);
  },
});

export const formatDuration = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/**
 * Runs one slow step and reports it on one line with its duration ("✔ engine ready (12 ms)"). The timing is also
 * recorded so callers (and the benchmark) can show a breakdown.
 */
export async function timedStep<T>(
  reporter: Reporter,
  timings: Record<string, number>,
  key: string,
  run: () => Promise<T>,
  describe: (result: T) => string,
): Promise<T> {
  const started = performance.now();
  const result = await run();
  const elapsed = performance.now() - started;
  timings[key] = Math.round(elapsed);
  reporter.info(`✔ ${describe(result)} (${formatDuration(elapsed)})`);
  return result;
}

/** Collects the lines instead of printing them: one task's output when several run in one process. */
export function bufferedReporter(isVerbose = false): Reporter & { text(): string } {
  const lines: string[] = [];
  const add = (line: string) => void lines.push(line);
  return {
    info: add,
    warn: add,
    error: add,
    verbose: (line) => {
      if (isVerbose) add(line);
    },
    text: () => (lines.length > 0 ? `${lines.join('\n')}\n` : ''),
  };
}
