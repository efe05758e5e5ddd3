/** Where progress goes: the Nx executor passes its logger, the CLI passes stdout/stderr. */
export interface Reporter {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
  /** Printed only with --verbose (commands, log file paths). */
  verbose(line: string): void;
  /**
   * A slow step has started ("… starting the worker"). Shown while it runs, wherever the output of the task as a
   * whole only appears when it ends (Nx batches); not part of that output.
   */
  progress?(line: string): void;
}

export const consoleReporter = (isVerbose = false): Reporter => ({
  progress: (line) => console.log(line),
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
  /** What the step does, announced when it starts, for steps that can take a while. */
  starting?: string,
): Promise<T> {
  if (starting) reporter.progress?.(`… ${starting}`);
  const started = performance.now();
  const result = await run();
  const elapsed = performance.now() - started;
  timings[key] = Math.round(elapsed);
  reporter.info(`✔ ${describe(result)} (${formatDuration(elapsed)})`);
  return result;
}

/**
 * Collects the lines instead of printing them: one task's output when several run in one process, which Nx prints
 * when the task ends. `live` shows what must not wait for that: slow steps starting, and warnings (kept in the
 * output too), such as the one that cargo is about to compile.
 */
export function bufferedReporter(isVerbose = false, live?: (line: string) => void): Reporter & { text(): string } {
  const lines: string[] = [];
  const add = (line: string) => void lines.push(line);
  return {
    progress: (line) => live?.(line),
    info: add,
    warn: (line) => {
      live?.(line);
      add(line);
    },
    error: add,
    verbose: (line) => {
      if (isVerbose) add(line);
    },
    text: () => (lines.length > 0 ? `${lines.join('\n')}\n` : ''),
  };
}
