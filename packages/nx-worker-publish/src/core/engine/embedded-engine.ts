import { EngineCore, type EngineEvent, type EngineEventListener } from './engine-core';
import { EngineListenError, listenEngineServer } from './engine-server';
import type { EngineGeneration } from './generation';

export type { EngineGeneration } from './generation';
export type { EngineEvent, EngineEventListener } from './engine-core';
export { EngineListenError };

export interface EmbeddedEngineOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Port to bind; default 0 (a free port). */
  port?: number;
  /** Introspection generation to speak; default 'current' (engine v0.22.1). */
  generation?: EngineGeneration;
  /** Version reported for the in-process workers; default 0.22.1 (current) / 0.11.6-next.1 (legacy). */
  engineVersion?: string;
  /** Observes worker lifecycle moments in-process (connected, `engine::workers::register` arrived, disconnected). */
  onEvent?: EngineEventListener;
}

export interface RunningEngine {
  /** ws://<host>:<port>, with 0.0.0.0 / :: replaced by a loopback address a client can dial. */
  url: string;
  host: string;
  port: number;
  generation: EngineGeneration;
  /** Adds an event listener; returns the function that removes it. */
  subscribe(listener: EngineEventListener): () => void;
  /** Closes every socket and the listener; leaves no open handle. Idempotent. */
  stop(): Promise<void>;
}

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

/** Starts an in-process iii engine (spec iii-protocol §1–§4) that real SDK workers can connect to. */
export async function startEmbeddedEngine(options: EmbeddedEngineOptions = {}): Promise<RunningEngine> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 0;
  const generation = options.generation ?? 'current';
  if (generation !== 'current' && generation !== 'legacy') {
    throw new EmbeddedEngineOptionError(`Unknown engine generation "${String(generation)}": use "current" (engine ≥ 0.13, e.g. 0.22.1) or "legacy" (engine ≤ 0.12, e.g. 0.11.6).`);
  }
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new EmbeddedEngineOptionError(`Invalid engine port ${String(requestedPort)}: use an integer from 0 to 65535 (0 picks a free port).`);
  }

  const listeners = new Set<EngineEventListener>();
  if (options.onEvent) listeners.add(options.onEvent);
  const emit = (event: EngineEvent) => {
    for (const listener of listeners) listener(event);
  };

  const core = new EngineCore(generation, options.engineVersion, emit);
  const server = await listenEngineServer(core, host, requestedPort);
  let stopping: Promise<void> | undefined;

  return {
    url: dialableUrl(host, server.port),
    host,
    port: server.port,
    generation,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopping ??= (async () => {
        listeners.clear();
        core.dispose();
        await server.close();
      })();
      return stopping;
    },
  };
}
