import { EngineCore, type EngineEvent, type EngineEventListener } from './engine-core';
import { EngineLog } from './engine-log';
import { EngineListenError, listenEngineServer, type ConnectionErrorListener } from './engine-server';
import { DEFAULT_ENGINE_GENERATION, GENERATION_CHOICES, parseEngineGeneration, type EngineGeneration, type EngineGenerationName } from './generation';
import { DEFAULT_NAMESPACE_GRACE_MS, NAMESPACE_GRACE_ENV } from './namespace-resolution';
import type { RegistrationRejection, RegistrationRejectionListener } from './registration-rejection';

export type { EngineGeneration, EngineGenerationName } from './generation';
export { DEFAULT_ENGINE_GENERATION, parseEngineGeneration } from './generation';
export type { EngineEvent, EngineEventListener } from './engine-core';
export type { RegistrationRejection, RegistrationRejectionCode, RegistrationRejectionListener } from './registration-rejection';
export { EngineListenError };

export interface EmbeddedEngineOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Port to bind; default 0 (a free port). */
  port?: number;
  /** Generation to speak: 0.23 (default), 0.13 or 0.11; the old names current (0.13) and legacy (0.11) are accepted. */
  generation?: EngineGenerationName;
  /** Version reported for the in-process workers; default 0.23.0 / 0.22.1 / 0.11.6-next.1 by generation. */
  engineVersion?: string;
  /**
   * 0.23: how long a connection's registrations wait for its `engine::workers::register` before they go to
   * `default`. Default: env III_NAMESPACE_GRACE_MS, else 5000 ms, as on the real engine.
   */
  namespaceGraceMs?: number;
  /** Where the engine log is written (created or truncated); without it the log is kept in memory only. */
  logFile?: string;
  /** The log file keeps its last this many bytes (logMaxMiB); default 16 MiB. */
  logMaxBytes?: number;
  /** Receives every engine log line as it is written (e.g. to print it). */
  onLogLine?: (line: string) => void;
  /** Observes worker lifecycle moments in-process (connected, `engine::workers::register` processed, disconnected). */
  onEvent?: EngineEventListener;
}

export interface RunningEngine {
  /** ws://<host>:<port>, with 0.0.0.0 / :: replaced by a loopback address a client can dial. */
  url: string;
  host: string;
  port: number;
  generation: EngineGeneration;
  /** The engine log file, when one was asked for. */
  logFile?: string;
  /** The last lines of the engine log (worker log calls, calls to missing services, refused registrations). */
  logTail(lines?: number): string;
  /** Adds an event listener; returns the function that removes it. */
  subscribe(listener: EngineEventListener): () => void;
  /** Tells the listener of every `registrationrejected` the engine sends; returns the function that removes it. */
  onRegistrationRejected(listener: RegistrationRejectionListener): () => void;
  /** Resolves once every engine log line so far is in the log file (it is written in batches, asynchronously). */
  flushLog(): Promise<void>;
  /**
   * Resolves once the engine has processed every frame the worker with this id had sent when called (a WebSocket
   * ping on its connection: the pong arrives behind those frames); at once when no such worker is connected.
   */
  caughtUp(workerId: string): Promise<void>;
  /** Tells the listener of every worker connection the engine closed because of a frame it could not accept. */
  onConnectionFailed(listener: ConnectionFailureListener): () => void;
  /** Closes every socket and the listener; leaves no open handle. Idempotent. */
  stop(): Promise<void>;
}

/** A worker connection the engine closed for a protocol error (`ws` refused one of its frames). */
export interface ConnectionFailure {
  workerId: string;
  workerName?: string;
  /** What was wrong, e.g. "Invalid WebSocket frame: invalid UTF-8 sequence" (WS_ERR_INVALID_UTF8). */
  reason: string;
}
export type ConnectionFailureListener = (failure: ConnectionFailure) => void;

/** A bad option passed to startEmbeddedEngine. */
export class EmbeddedEngineOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedEngineOptionError';
  }
}

function dialableUrl(host: string, port: number): string {
  if (host === '0.0.0.0') return `ws://127.0.0.1:${port}`;
  if (host === '::' || host === '[::]') return `ws://[::1]:${port}`;
  return host.includes(':') && !host.startsWith('[') ? `ws://[${host}]:${port}` : `ws://${host}:${port}`;
}

function namespaceGraceMs(option: number | undefined, env: NodeJS.ProcessEnv): number {
  if (option !== undefined) {
    if (!Number.isInteger(option) || option < 0) throw new EmbeddedEngineOptionError(`Invalid namespaceGraceMs ${String(option)}: use a whole number of milliseconds (0 or more).`);
    return option;
  }
  const raw = env[NAMESPACE_GRACE_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_NAMESPACE_GRACE_MS;
  if (!/^\d+$/.test(raw.trim())) {
    throw new EmbeddedEngineOptionError(`${NAMESPACE_GRACE_ENV}="${raw}" is not a whole number of milliseconds: set it to e.g. 5000, or unset it for the default (${DEFAULT_NAMESPACE_GRACE_MS}).`);
  }
  return Number(raw.trim());
}

/** Starts an in-process iii engine (spec iii-protocol §1–§4, iii-engine-0.23 §1) that real SDK workers can connect to. */
export async function startEmbeddedEngine(options: EmbeddedEngineOptions = {}): Promise<RunningEngine> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 0;
  const generation = parseEngineGeneration(String(options.generation ?? DEFAULT_ENGINE_GENERATION));
  if (!generation) throw new EmbeddedEngineOptionError(`Unknown engine generation "${String(options.generation)}": use ${GENERATION_CHOICES}.`);
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new EmbeddedEngineOptionError(`Invalid engine port ${String(requestedPort)}: use an integer from 0 to 65535 (0 picks a free port).`);
  }
  const graceMs = namespaceGraceMs(options.namespaceGraceMs, process.env);

  const listeners = new Set<EngineEventListener>();
  if (options.onEvent) listeners.add(options.onEvent);
  const emit = (event: EngineEvent) => {
    for (const listener of listeners) listener(event);
  };

  const log = new EngineLog(options.logFile, options.onLogLine, options.logMaxBytes);
  const core = new EngineCore({ generation, engineVersion: options.engineVersion, namespaceGraceMs: graceMs, log, emit });
  const failureListeners = new Set<ConnectionFailureListener>();
  const connectionFailed: ConnectionErrorListener = (connection, error) => {
    const reason = `${error.message}${error.code ? ` (${error.code})` : ''}`;
    const who = connection.name ? `${connection.name} (${connection.id})` : connection.id;
    log.write('ERROR', `worker ${who}: connection closed by the engine: ${reason}`);
    for (const listener of failureListeners) listener({ workerId: connection.id, workerName: connection.name, reason });
  };
  let server: Awaited<ReturnType<typeof listenEngineServer>>;
  try {
    server = await listenEngineServer(core, host, requestedPort, connectionFailed);
  } catch (error) {
    await log.close();
    throw error;
  }
  let stopping: Promise<void> | undefined;

  return {
    url: dialableUrl(host, server.port),
    host,
    port: server.port,
    generation,
    logFile: options.logFile,
    logTail: (lines) => log.tail(lines),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onRegistrationRejected(listener: (rejection: RegistrationRejection) => void) {
      return core.rejections.subscribe(listener);
    },
    flushLog: () => log.flush(),
    caughtUp: (workerId) => core.state.connections.get(workerId)?.caughtUp() ?? Promise.resolve(),
    onConnectionFailed(listener) {
      failureListeners.add(listener);
      return () => failureListeners.delete(listener);
    },
    stop() {
      stopping ??= (async () => {
        listeners.clear();
        failureListeners.clear();
        core.dispose();
        await server.close();
        await log.close();
      })();
      return stopping;
    },
  };
}
