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

/** Payload of the engine's own pings (then a sequence number): a pong that does not echo one answers none of them. */
const PING_PREFIX = 'caught-up:';

/** A Set that counts its changes, so an index built from it can tell when it is stale. */
export class RevisedSet<T> extends Set<T> {
  revision = 0;

  override add(value: T): this {
    if (!this.has(value)) this.revision++;
    return super.add(value);
  }

  override delete(value: T): boolean {
    const deleted = super.delete(value);
    if (deleted) this.revision++;
    return deleted;
  }

  override clear(): void {
    if (this.size > 0) this.revision++;
    super.clear();
  }
}

/** One WebSocket session on `/`: the engine's `WorkerConnection`. */
export class WorkerConnection {
  readonly id = randomUUID();
  readonly reattachToken = randomUUID();
  readonly connectedAtMs = Date.now();
  /** Ids this connection registered; kept even if another worker later takes one over, as the engine does. */
  readonly functionIds = new RevisedSet<string>();
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
  /** Pings sent by `caughtUp`, by sequence number, with what to call when their pong arrives. */
  private readonly awaitingPong = new Map<number, () => void>();
  private pingsSent = 0;

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

  /**
   * Resolves once the engine has processed every frame this worker sent before the call. A WebSocket ping's pong
   * travels behind everything the peer wrote earlier on the same stream, `ws` parses and emits a connection's frames
   * strictly in order, and the engine handles each frame synchronously in its `message` event: so when the pong
   * event fires, every earlier frame has been handled. Resolves at once (or when it closes) for a closed socket.
   */
  caughtUp(): Promise<void> {
    if (this.socket.readyState !== WebSocket.OPEN) return Promise.resolve();
    const sequence = ++this.pingsSent;
    return new Promise((resolve) => {
      this.awaitingPong.set(sequence, resolve);
      this.socket.ping(`${PING_PREFIX}${sequence}`);
    });
  }

  /** The peer's pong: it answers its own ping and, coming later on the stream, every earlier one. */
  pongReceived(payload: Buffer): void {
    const text = payload.toString('latin1');
    if (!text.startsWith(PING_PREFIX)) return; // an unsolicited pong (a heartbeat) proves nothing about our pings
    const answered = Number(text.slice(PING_PREFIX.length));
    if (!Number.isSafeInteger(answered)) return;
    for (const [sequence, resolve] of this.awaitingPong) {
      if (sequence > answered) continue;
      this.awaitingPong.delete(sequence);
      resolve();
    }
  }

  /** The socket closed: nothing more will be processed, so whoever waits for a pong can go on. */
  socketClosed(): void {
    for (const resolve of this.awaitingPong.values()) resolve();
    this.awaitingPong.clear();
  }

  /** Drops the socket without a close handshake (eviction by a reattaching successor). */
  terminate(): void {
    this.socket.terminate();
  }
}
