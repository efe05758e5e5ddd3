import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startWorkerProcess, WorkerSpawnError, type WorkerProcess } from '../../worker-process';
import { splitEngineCommand } from './engine-command';
import { renderEngineConfig } from './engine-config';
import { waitForEngineReady } from './engine-readiness';
import { EngineCommandNotFoundError, EngineExitedError, EngineNotReadyError, EnginePortTakenError } from './external-engine-errors';
import { pickFreePort } from './free-port';

export interface ExternalEngineOptions {
  /** The iii binary (default `iii`); a multi-word string is split on whitespace (`node /path/main.js engine`). */
  engineCommand?: string | string[];
  /** Where the generated config and the engine log go. */
  workDir: string;
  host?: string;
  readyTimeoutMs?: number;
  /** Appended after `--config <file> --no-update-check`. */
  extraArgs?: string[];
  /** SIGTERM→SIGKILL grace when stopping (default 3000 ms). */
  graceMs?: number;
  /** Parent variables the engine must not inherit, on top of ALWAYS_WITHHELD_ENV (see withheldEnvNames). */
  withheldEnv?: string[];
  /** The engine log keeps its last this many bytes (default 16 MiB). */
  logMaxBytes?: number;
}

export interface RunningExternalEngine {
  url: string;
  port: number;
  pid: number;
  configFile: string;
  logFile: string;
  /** Resolves when the engine process exits (for racing against a collection); never rejects. */
  exited: Promise<{ code: number | null; signal: string | null }>;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

/** Seams for tests: how the port is chosen. */
export interface ExternalEngineDeps {
  pickPort?: (host: string) => Promise<number>;
}

export const ENGINE_CONFIG_FILE = 'iii-engine.config.yaml';
export const ENGINE_LOG_FILE = 'iii-engine.log';

const PORT_TAKEN = /already in use|EADDRINUSE|os error 98|address in use/i;

/**
 * Runs the real `iii` engine (or any command that behaves like it) with a generated config binding the worker
 * manager to a free port on 127.0.0.1, and resolves once it answers `engine::workers::list`. Fails fast with
 * the log tail if it exits; retries once on a new port if another process took the port in between.
 */
export async function startExternalEngine(options: ExternalEngineOptions, deps: ExternalEngineDeps = {}): Promise<RunningExternalEngine> {
  try {
    return await startOnce(options, deps);
  } catch (error) {
    if (error instanceof EnginePortTakenError) return startOnce(options, deps);
    throw error;
  }
}

async function startOnce(options: ExternalEngineOptions, deps: ExternalEngineDeps): Promise<RunningExternalEngine> {
  const host = options.host ?? '127.0.0.1';
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  const port = await (deps.pickPort ?? pickFreePort)(host);
  mkdirSync(options.workDir, { recursive: true });
  const configFile = path.join(options.workDir, ENGINE_CONFIG_FILE);
  const logFile = path.join(options.workDir, ENGINE_LOG_FILE);
  writeFileSync(configFile, renderEngineConfig({ host, port }));

  const { command, args } = splitEngineCommand(options.engineCommand);
  const engine = await spawnEngine(command, [...args, '--config', configFile, '--no-update-check', ...(options.extraArgs ?? [])], options, logFile);
  const url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const stopProbing = new AbortController();
  const exitedEarly = engine.exited.then(({ code, signal }): never => {
    throw new EngineExitedError(engine.commandLine, code, signal, logFile, engine.logTail());
  });
  try {
    await Promise.race([waitForEngineReady(url, timeoutMs, { signal: stopProbing.signal }), exitedEarly]);
  } catch (error) {
    stopProbing.abort();
    await engine.stop();
    if (error instanceof EngineExitedError && PORT_TAKEN.test(error.logTail)) throw new EnginePortTakenError(port, error);
    if (error instanceof EngineNotReadyError) {
      throw new EngineNotReadyError(url, timeoutMs, error.lastError, logFile, engine.logTail());
    }
    throw error;
  }
  exitedEarly.catch(() => undefined); // the engine exiting later is the caller's business (stop or a failed collection)

  return {
    url,
    port,
    pid: engine.pid,
    configFile,
    logFile,
    exited: engine.exited,
    logTail: (lines?: number) => engine.logTail(lines),
    stop: () => engine.stop(),
  };
}

async function spawnEngine(command: string, args: string[], options: ExternalEngineOptions, logFile: string): Promise<WorkerProcess> {
  try {
    return await startWorkerProcess(
      { command, args, cwd: options.workDir, env: {}, withheldEnv: options.withheldEnv },
      { logFile, graceMs: options.graceMs, logMaxBytes: options.logMaxBytes },
    );
  } catch (error) {
    if (error instanceof WorkerSpawnError && error.reason === 'command-not-found') {
      throw new EngineCommandNotFoundError(command, options.workDir);
    }
    throw error;
  }
}
