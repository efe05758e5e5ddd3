import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Frame = Record<string, any>;

const WAIT_MS = 10_000;

/** A protocol-level test client: a bare `ws` socket that records every frame the engine sends. */
export class RawClient {
  private readonly queue: Frame[] = [];
  private readonly waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  readonly closed: Promise<number>;
  workerId = '';
  /** The first frame (`workerregistered`). */
  hello: Frame = {};

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = JSON.parse(data.toString()) as Frame;
      const waiter = this.waiters.find((w) => w.match(frame));
      if (waiter) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      } else {
        this.queue.push(frame);
      }
    });
    this.closed = new Promise((resolve) => socket.on('close', (code) => resolve(code)));
  }

  static async connect(url: string, path = '/'): Promise<RawClient> {
    const socket = new WebSocket(url + path);
    const client = new RawClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    if (path === '/') {
      client.hello = await client.next((f) => f.type === 'workerregistered');
      client.workerId = client.hello.worker_id;
    }
    return client;
  }

  send(frame: Frame | string | Buffer): void {
    this.socket.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
  }

  /** The first unread frame matching `match` (already received or still to come). */
  next(match: (f: Frame) => boolean, timeoutMs = WAIT_MS): Promise<Frame> {
    const index = this.queue.findIndex(match);
    if (index >= 0) return Promise.resolve(this.queue.splice(index, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no matching frame within ${timeoutMs} ms; unread: ${JSON.stringify(this.queue)}`));
      }, timeoutMs);
      const waiter = {
        match,
        resolve: (f: Frame) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Unread frames so far (after a `sync()` this is everything the engine sent before it). */
  unread(): Frame[] {
    return [...this.queue];
  }

  /** App-level ping → pong: proves the socket is alive and that every earlier frame was processed. */
  async sync(): Promise<void> {
    this.send({ type: 'ping' });
    await this.next((f) => f.type === 'pong');
  }

  /** Request/response invocation (0.23: into `namespace`); resolves with the `invocationresult` frame. */
  async call(functionId: string, data: unknown = {}, namespace?: string): Promise<Frame> {
    const invocationId = randomUUID();
    this.send({ type: 'invokefunction', invocation_id: invocationId, function_id: functionId, data, ...(namespace ? { namespace } : {}) });
    return this.next((f) => f.type === 'invocationresult' && f.invocation_id === invocationId);
  }

  /** The `result` of a successful call; throws with the error body otherwise. */
  async result(functionId: string, data: unknown = {}): Promise<Frame> {
    const frame = await this.call(functionId, data);
    if (frame.error) throw new Error(`${functionId} failed: ${JSON.stringify(frame.error)}`);
    return frame.result;
  }

  /** What the SDK does after connecting: report metadata so the worker becomes visible. */
  register(metadata: Frame): void {
    this.send({ type: 'invokefunction', function_id: 'engine::workers::register', data: metadata, action: { type: 'void' } });
  }

  async close(): Promise<void> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close();
    await this.closed;
  }
}
