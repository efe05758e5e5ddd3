import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { formatDuration } from '../reporter/step-reporter';
import { startWorkerProcess } from '../worker-process';
import { readCargoLog, type CargoBuildReport } from './cargo-messages';
import { LaunchPlanError } from './launch-plan-error';

/** How cargo-run compiles the worker before it is run like a build output (DESIGN §4, issue 25). */
export interface CargoCompile {
  /** The worker folder (holding Cargo.toml); cargo finds the workspace from there. */
  cwd: string;
  bin: string;
  /** Cargo profile; `dev` unless the user asks for another (the interface does not depend on optimisation). */
  profile: string;
  /** Pass `--locked`: only on request, since committed lockfiles are often stale. */
  locked: boolean;
  /** Stop the compile after this long; undefined = no bound. */
  timeoutMs?: number;
}

export interface CargoCompileOptions {
  logFile: string;
  withheldEnv?: string[];
  /** Called about every `progressEveryMs` with a line such as "compiling skills: 140 crates built (last: tokio), 42 s". */
  progress?: (line: string) => void;
  progressEveryMs?: number;
}

export interface CompiledWorker {
  executable: string;
  /** Crates built or found fresh. */
  artifacts: number;
  ms: number;
}

/** The `cargo build` command line of a compile (also shown in verbose output). */
export function cargoBuildArgs(compile: CargoCompile): string[] {
  return ['build', '--bin', compile.bin, '--profile', compile.profile, ...(compile.locked ? ['--locked'] : []), '--message-format=json'];
}

/**
 * Runs `cargo build` for the worker's bin in its own process group (ended however the task ends), reporting
 * progress as it goes; resolves with the executable cargo reported. A failed compile rejects with cargo's first
 * error and the crate it names.
 */
export async function compileCargoWorker(compile: CargoCompile, options: CargoCompileOptions): Promise<CompiledWorker> {
  const started = performance.now();
  const cargo = await startWorkerProcess(
    { command: 'cargo', args: cargoBuildArgs(compile), cwd: compile.cwd, env: {}, withheldEnv: options.withheldEnv },
    { logFile: options.logFile },
  );
  const readReport = () => readCargoLog(readLog(options.logFile), compile.bin);
  const ticker = setInterval(() => {
    const report = readReport();
    const last = report.lastCrate ? ` (last: ${report.lastCrate})` : '';
    options.progress?.(`compiling ${compile.bin}: ${report.artifacts} crates built${last}, ${formatDuration(performance.now() - started)}`);
  }, options.progressEveryMs ?? 10_000);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    if (compile.timeoutMs !== undefined) timer = setTimeout(() => resolve('timeout'), compile.timeoutMs);
  });
  try {
    const outcome = await Promise.race([cargo.exited, timedOut]);
    if (outcome === 'timeout') {
      await cargo.stop();
      throw new LaunchPlanError(
        `cargo build of ${compile.bin} did not finish within ${formatDuration(compile.timeoutMs!)} (compileSeconds) and was stopped. ` +
          `Raise compileSeconds, build the worker beforehand (a build target with binaryPath), or pass a release tag. Cargo's log: ${options.logFile}`,
      );
    }
    const report = readReport();
    if (outcome.code !== 0 || !report.executable) throw compileFailure(compile, outcome.code, report, humanTail(cargo.logTail(60)), options.logFile);
    return { executable: report.executable, artifacts: report.artifacts, ms: Math.round(performance.now() - started) };
  } finally {
    clearInterval(ticker);
    clearTimeout(timer);
    await cargo.stop();
  }
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** cargo's status and error lines of a log tail, without its JSON messages. */
const humanTail = (tail: string) =>
  tail
    .split('\n')
    .filter((line) => !line.startsWith('{'))
    .slice(-20)
    .join('\n');

function compileFailure(compile: CargoCompile, code: number | null, report: CargoBuildReport, tail: string, logFile: string): LaunchPlanError {
  const command = `cargo ${cargoBuildArgs(compile).join(' ')}`;
  if (report.firstError) {
    const where = report.firstError.crate ? ` in crate ${report.firstError.crate}` : '';
    return new LaunchPlanError(
      `cargo build of ${compile.bin} failed${where} (\`${command}\` in ${compile.cwd}). Its first error:\n${report.firstError.text}\n` +
        `Fix it and run again; the full output is in ${logFile}.`,
    );
  }
  if (code === 0) {
    return new LaunchPlanError(
      `\`${command}\` succeeded but reported no executable for the bin target ${compile.bin}. ` +
        `Check that Cargo.toml in ${compile.cwd} has a [[bin]] named ${compile.bin} (or set bin in iii.worker.yaml).`,
    );
  }
  return new LaunchPlanError(`\`${command}\` exited with code ${code} in ${compile.cwd}. Last lines of ${logFile}:\n${tail}`);
}
