import { escapeTerminalBlock, escapeTerminalLine } from './terminal-text';

/**
 * Where progress goes: the Nx executor prints to the console (or a batch's buffer), the CLI to stdout/stderr. Every
 * implementation escapes what it prints (terminal-text.ts): `info`, `warn` and `verbose` lines are one line each,
 * whatever they hold; `error` may be a paragraph whose later lines are marked as its continuation.
 */
export interface Reporter {
  info(line: string): void;
  warn(line: string): void;
  error(message: string): void;
  /** Printed only with --verbose (commands, log file paths). */
  verbose(line: string): void;
  /**
   * A slow step has started ("… starting the worker"). Shown while it runs, wherever the output of the task as a
   * whole only appears when it ends (Nx batches); not part of that output.
   */
  progress?(line: string): void;
}

/** The one place lines reach an output: `out` for progress, `err` for warnings and errors. */
function escapingReporter(out: (text: string) => void, err: (text: string) => void, isVerbose: boolean): Reporter {
  return {
    progress: (line) => out(escapeTerminalLine(line)),
    info: (line) => out(escapeTerminalLine(line)),
    warn: (line) => err(escapeTerminalLine(line)),
    error: (message) => err(escapeTerminalBlock(message)),
    verbose: (line) => {
      if (isVerbose) out(escapeTerminalLine(line));
    },
  };
}

export const consoleReporter = (isVerbose = false): Reporter =>
  escapingReporter(
    (text) => console.log(text),
    (text) => console.error(text),
    isVerbose,
  );

/** For the CLI: lines to the given streams. */
export const streamReporter = (stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, isVerbose = false): Reporter =>
  escapingReporter(
    (text) => void stdout.write(`${text}\n`),
    (text) => void stderr.write(`${text}\n`),
    isVerbose,
  );

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
 * when the task ends. `live` shows what must not wait for that: slow steps starting, each preceded by the warnings
 * given since the last one (such as the one that cargo is about to compile). Warnings stay in the output too, which
 * Nx caches; one that no slow step follows is printed there only, not twice.
 */
export function bufferedReporter(isVerbose = false, live?: (line: string) => void): Reporter & { text(): string } {
  const lines: string[] = [];
  const add = (text: string) => void lines.push(text);
  const escaping = escapingReporter(add, add, isVerbose);
  const unshownWarnings: string[] = [];
  return {
    ...escaping,
    progress: (line) => {
      if (!live) return;
      for (const warning of unshownWarnings.splice(0)) live(warning);
      live(escapeTerminalLine(line));
    },
    warn: (line) => {
      if (live) unshownWarnings.push(escapeTerminalLine(line));
      escaping.warn(line);
    },
    text: () => (lines.length > 0 ? `${lines.join('\n')}\n` : ''),
  };
}
