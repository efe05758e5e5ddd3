import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { Json } from './protocol';

/** What a worker reports about itself through `engine::workers::register` (spec §3). */
export interface WorkerMetadata {
  name?: string;
  description?: string;
  runtime?: string;
  version?: string;
  os?: string;
  pid?: number;
  isolation?: string;
  telemetry?: Json;
}

/** One WebSocket session on `/`: the engine's `WorkerConnection`. */
export class WorkerConnection {
  readonly id = randomUUID();
  readonly reattachToken = randomUUID();
  readonly connectedAtMs = Date.now();
  /** Ids this connection registered; kept even if another worker later takes one over, as the engine does. */
  readonly functionIds = new Set<string>();
  /** In-flight invocations this connection takes part in (as caller or callee); halted when it closes. */
  readonly invocations = new Set<string>();
  metadata: WorkerMetadata = {};
  closed = false;

  constructor(
    private readonly socket: WebSocket,
    readonly ipAddress: string | null,
  ) {}

  get name(): string | undefined {
    return this.metadata.name;
  }

  send(message: object): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** Drops the socket without a close handshake (eviction by a reattaching successor). */
  terminate(): void {
    this.socket.terminate();
  }
}
