import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MARKER_DIR_ENV, RUN_ID_ENV, findProcessesOfRun, processesRemaining, type LiveProcess } from '../../../tools/fixture-workers/src';
import { stripAnsi } from './strip-ansi';

export interface NxRunOptions {
  cwd: string;
  /** Path of the nx CLI script (`node_modules/nx/dist/bin/nx.js` of the workspace). */
  cli: string;
  markerDir: string;
  /** Added to the run's environment (after the variables the harness controls); `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Bound on the whole run; past it the run's process group is killed and the run rejects. */
  timeoutMs?: number;
}

export interface NxRun {
  /** `nx` followed by the arguments, for messages. */
  command: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved as they arrived, without colour codes: what the user sees. */
  output: string;
  /** The same bytes as printed, colour codes and all (what reached the terminal). */
  rawOutput: string;
  /** The value of NXWP_E2E_RUN this run's processes inherited. */
  runId: string;
  /** Processes of this run still alive after nx exited (and a short grace): should always be empty. */
  leftovers: LiveProcess[];
}

export interface RunningNx {
  runId: string;
  pid: number;
  /** The output so far. */
  output(): string;
  /** Resolves when `condition(output)` holds (polled), rejects if nx exits first or `boundMs` passes. */
  waitUntil(condition: (output: string) => boolean, boundMs?: number): Promise<void>;
  /** Whether nx has exited. */
  finished(): boolean;
  /** Sends a signal to nx's process group, as a terminal does on Ctrl-C. */
  signalGroup(signal: NodeJS.Signals): void;
  result: Promise<NxRun>;
}

/**
 * Variables from the outer environment that would change what the plugin does or where it reports: CI annotations
 * and step summaries, a registry key, Nx settings, jest's NODE_OPTIONS. Every run starts without them.
 */
const SCRUBBED_ENV = /^(NX_|GITHUB_|GH_TOKEN$|WORKERS_REGISTRY_|III_|NODE_OPTIONS$|JEST_WORKER_ID$|NODE_ENV$|FORCE_COLOR$|NO_COLOR$)/;

const SHARED_NX_NATIVE_FILE_CACHE = join(tmpdir(), 'nxwp-e2e-nx-native-file-cache');

/** Below the suites' jest timeouts, so a hung run is killed (and reported with its output) before jest gives up. */
const DEFAULT_TIMEOUT_MS = 100_000;

function runEnvironment(runId: string, options: NxRunOptions): NodeJS.ProcessEnv {
  const outer = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SCRUBBED_ENV.test(name)));
  return {
    ...outer,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    CI: 'true',
    // Nx copies its 23 MB native binary into a tmp folder per workspace path and never removes it: one per test
    // workspace would pile up in /tmp run after run. All runs share one (Nx copies to a unique name, then renames).
    NX_NATIVE_FILE_CACHE_DIRECTORY: SHARED_NX_NATIVE_FILE_CACHE,
    [RUN_ID_ENV]: runId,
    [MARKER_DIR_ENV]: options.markerDir,
    ...options.env,
  };
}

/**
 * Starts the real nx CLI as its own process group (like a shell's foreground job), collecting what it prints.
 * The result also lists the processes of this run that outlived nx.
 */
export function startNx(args: string[], options: NxRunOptions): RunningNx {
  const runId = randomUUID();
  const command = `nx ${args.join(' ')}`;
  const child = spawn(process.execPath, [options.cli, ...args], {
    cwd: options.cwd,
    env: runEnvironment(runId, options),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let raw = '';
  child.stdout!.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  const output = () => stripAnsi(raw);
  const exited = waitForExit(child, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, command, output);
  let done = false;
  void exited.then(
    () => (done = true),
    () => (done = true),
  );

  const result = exited.then(async ({ exitCode, signal }) => {
    const leftovers = await processesRemaining(() => findProcessesOfRun(runId));
    return { command, exitCode, signal, output: output(), rawOutput: raw, runId, leftovers };
  });

  return {
    runId,
    pid: child.pid!,
    output,
    async waitUntil(condition, boundMs = 60_000) {
      const deadline = Date.now() + boundMs;
      while (!condition(output())) {
        if (done) throw new Error(`${command} exited before the awaited condition held:\n${output()}`);
        if (Date.now() > deadline) throw new Error(`${command}: the awaited condition did not hold within ${boundMs} ms:\n${output()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    finished: () => done,
    signalGroup(signal) {
      process.kill(-child.pid!, signal);
    },
    result,
  };
}

/**
 * Resolves on exit once stdout/stderr are drained. If something the run left behind still holds the pipes, waiting
 * for them stops after a few seconds (that process is reported as a leftover anyway). Past `timeoutMs` the group is
 * killed so a hung run cannot hang the suite.
 */
function waitForExit(
  child: ChildProcess,
  timeoutMs: number,
  command: string,
  output: () => string,
): Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    let exit: { exitCode: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    let drain: NodeJS.Timeout | undefined;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearTimeout(drain);
      outcome();
    };
    const timeout = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      settle(() => reject(new Error(`${command} did not finish within ${timeoutMs} ms; its process group was killed. Output so far:\n${output()}`)));
    }, timeoutMs);
    child.on('error', (error) => settle(() => reject(error)));
    child.on('close', (exitCode, signal) => settle(() => resolve(exit ?? { exitCode, signal })));
    child.on('exit', (exitCode, signal) => {
      exit = { exitCode, signal };
      drain = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        settle(() => resolve(exit!));
      }, 5000);
    });
  });
}
