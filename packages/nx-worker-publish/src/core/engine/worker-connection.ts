import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { DEFAULT_NAMESPACE } from './namespaced-map';
import type { Json, WorkerMessage } from './protocol';

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
  /** 0.25+ SDKs: the protocol features the worker speaks (`observe.v1`, …). */
  features?: string[];
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
  /** The namespace its registrations go to: `default` until its `engine::workers::register` says otherwise (0.23). */
  namespace = DEFAULT_NAMESPACE;
  /**
   * 0.23: registrations that arrived before the namespace was known, in arrival order; undefined once it is
   * (and always before 0.23).
   */
  pendingRegistrations?: WorkerMessage[];
  /** 0.23: drains the pending registrations into `default` when no register arrives in time. */
  graceTimer?: NodeJS.Timeout;
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

  /** Ends the session with a close frame (a rejected worker). */
  closeSocket(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(code, reason);
  }

  /** Drops the socket without a close handshake (eviction by a reattaching successor). */
  terminate(): void {
    this.socket.terminate();
  }
}
