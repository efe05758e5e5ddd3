import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadExeca } from '../load-execa';
import { findMarkedProcesses, findTreeMembers, killProcessTree, readProcessTable } from '../process-tree';
import { trackLiveChild } from './live-children';
import { DEFAULT_LOG_MAX_BYTES, LogCap, openFreshLog } from './log-cap';
import { readLogTail } from './log-tail';
import { startOrphanWatchdog } from './orphan-watchdog';
import { WorkerSpawnError } from './worker-errors';
import { inheritedEnv } from './withheld-env';

export interface WorkerLaunch {
  command: string;
  args: string[];
  /** Run through `/bin/sh -c` (start scripts such as `npm run dev`). */
  shell?: boolean;
  /** The worker's folder, so `./config.yaml` resolves. */
  cwd: string;
  /** Added to the parent's environment (the caller puts `III_URL`/`III_ENGINE_URL` here). */
  env: Record<string, string>;
  /** Parent variables the worker must not inherit, on top of ALWAYS_WITHHELD_ENV (a worker may log its env). */
  withheldEnv?: string[];
}

export interface StartWorkerOptions {
  /** stdout and stderr go here; it is emptied first (each run starts a fresh log) and its folder is created. */
  logFile: string;
  /** The log keeps about its last this many bytes (default 16 MiB); older output is dropped, and the tail says so. */
  logMaxBytes?: number;
  /** Time between SIGTERM and SIGKILL when stopping (default 3000 ms). */
  graceMs?: number;
}

/** Every process a worker starts inherits `RUN_ID_ENV=<run id>`: how its daemons are found however they detach. */
export const RUN_ID_ENV = 'WORKER_PUBLISH_RUN_ID';

export interface WorkerExit {
  code: number | null;
  signal: string | null;
}

export interface WorkerProcess {
  pid: number;
  logFile: string;
  /** The command line as started, for messages. */
  commandLine: string;
  /** Resolves when the process exits, with code/signal; never rejects. */
  exited: Promise<WorkerExit>;
  /** Last N lines of the log (default 40). */
  logTail(lines?: number): string;
  /** Ends the whole process tree (group and descendants); idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts a worker as a host process in its own process group, with stdin held open (stdio workers exit
 * when it closes) and stdout/stderr written straight to the log file by the child itself, so output of
 * grandchildren lands there too and nothing waits on pipes they might keep open.
 */
export async function startWorkerProcess(launch: WorkerLaunch, options: StartWorkerOptions): Promise<WorkerProcess> {
  const { command, args } = shellForm(launch);
  const commandLine = [launch.command, ...launch.args].join(' ');
  assertDirectory(launch.cwd, launch.command);
  mkdirSync(dirname(options.logFile), { recursive: true });

  const { execa } = await loadExeca();
  const runId = randomBytes(12).toString('hex');
  const marker = `${RUN_ID_ENV}=${runId}`;
  const logFd = openFreshLog(options.logFile);
  const logCap = new LogCap(options.logFile, options.logMaxBytes ?? DEFAULT_LOG_MAX_BYTES);
  const subprocess = (() => {
    try {
      return execa(command, args, {
        cwd: launch.cwd,
        env: { ...inheritedEnv(launch.withheldEnv), ...launch.env, [RUN_ID_ENV]: runId },
        extendEnv: false,
        shell: launch.shell ? '/bin/sh' : false,
        stdin: 'pipe',
        // A raw fd is handed to spawn as is; execa's types only list 3-9, the runtime takes any fd.
        stdout: logFd as 3,
        stderr: logFd as 3,
        detached: true,
        cleanup: false, // no effect with `detached`; our own registry ends the group (live-children.ts)
        reject: false,
        buffer: false,
      });
    } finally {
      closeSync(logFd); // the child holds its own copy from spawn on
    }
  })();

  const pid = subprocess.pid;
  if (pid === undefined) {
    logCap.close();
    const result = await subprocess;
    throw spawnFailure(launch, result.cause);
  }
  const watchdog = startOrphanWatchdog(pid, marker);
  // We never write to stdin; swallow EPIPE-style errors once the child is gone.
  subprocess.stdin?.on('error', () => undefined);

  const exited: Promise<WorkerExit> = subprocess.then(
    (result) => ({ code: result.exitCode ?? null, signal: result.signal ?? null }),
    () => ({ code: null, signal: null }),
  );

  let stopping: Promise<void> | undefined;
  let hasExited = false;
  const worker: WorkerProcess = {
    pid,
    logFile: options.logFile,
    commandLine,
    exited,
    logTail: (lines = 40) => {
      const notice = logCap.cutNotice();
      const tail = readLogTail(options.logFile, lines);
      return notice && !tail.startsWith(notice) ? `${notice}\n${tail}` : tail;
    },
    stop: () => {
      stopping ??= (async () => {
        await killProcessTree(pid, { ownGroup: true, rootExited: hasExited, graceMs: options.graceMs, marker });
        await exited;
        watchdog.release();
        subprocess.stdin?.destroy();
        logCap.close();
        untrack();
      })();
      return stopping;
    },
  };
  const untrack = trackLiveChild({ ...worker, marker });

  void exited.then(() => {
    hasExited = true;
    subprocess.stdin?.destroy();
    // Keep the parent's exit hooks while anything of its group still runs; stop() will end it.
    if (stopping === undefined && !groupHasMembers(pid, marker)) untrack();
  });
  return worker;
}

/** With `shell`, append the args shell-quoted: Node would otherwise join them unquoted. */
function shellForm(launch: WorkerLaunch): { command: string; args: string[] } {
  if (!launch.shell) return { command: launch.command, args: launch.args };
  return { command: [launch.command, ...launch.args.map(shellQuote)].join(' '), args: [] };
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function assertDirectory(cwd: string, command: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(cwd).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) throw new WorkerSpawnError(command, cwd, 'cwd-not-found');
}

function spawnFailure(launch: WorkerLaunch, cause: unknown): WorkerSpawnError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new WorkerSpawnError(launch.command, launch.cwd, 'command-not-found');
  if (code === 'EACCES') return new WorkerSpawnError(launch.command, launch.cwd, 'not-executable');
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new WorkerSpawnError(launch.command, launch.cwd, 'other', detail);
}

function groupHasMembers(pgid: number, marker: string): boolean {
  try {
    const table = readProcessTable();
    return findTreeMembers(table, findMarkedProcesses(table, marker), [pgid]).size > 0;
  } catch {
    return false;
  }
}
