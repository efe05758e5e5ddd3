import { randomUUID } from 'node:crypto';
import { WebSocket } from 'undici';

/** An error the engine answered with (`invocationresult.error`), e.g. `function_not_found`. */
export class EngineInvocationError extends Error {
  constructor(
    readonly functionId: string,
    readonly code: string,
    readonly engineMessage: string,
  ) {
    super(`engine call ${functionId} failed: ${code}: ${engineMessage}`);
    this.name = 'EngineInvocationError';
  }
}

/** The connection itself failed: refused, closed, or no answer in time. */
export class EngineConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineConnectionError';
  }
}

type Handler = (data: unknown) => unknown | Promise<unknown>;

interface Pending {
  functionId: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface EngineClient {
  readonly url: string;
  /** The worker id the engine gave this connection. */
  readonly workerId: string;
  invoke<T = unknown>(functionId: string, data?: unknown, options?: { timeoutMs?: number }): Promise<T>;
  /** Registers a function the engine may invoke on this connection (used for trigger subscriptions). */
  registerFunction(id: string, handler: Handler): void;
  registerTrigger(triggerType: string, functionId: string, config?: unknown): void;
  close(): Promise<void>;
}

const DEFAULT_INVOKE_TIMEOUT_MS = 30_000;

/**
 * Connects to an iii engine as a plain client connection (the protocol has no separate client role: a client is a
 * worker that registers nothing). Resolves once the engine has sent `workerregistered`.
 */
export function connectEngine(url: string, options: { connectTimeoutMs?: number } = {}): Promise<EngineClient> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  return new Promise((resolveConnect, rejectConnect) => {
    const socket = new WebSocket(url);
    const pending = new Map<string, Pending>();
    const handlers = new Map<string, Handler>();
    let workerId = '';
    let settled = false;
    let closed = false;
    let closedResolve: () => void = () => {};
    const closedPromise = new Promise<void>((resolve) => (closedResolve = resolve));

    const connectTimer = setTimeout(() => {
      fail(new EngineConnectionError(`no answer from the iii engine at ${url} within ${connectTimeoutMs} ms`));
      socket.close();
    }, connectTimeoutMs);

    function fail(error: Error) {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      rejectConnect(error);
    }

    const send = (message: Record<string, unknown>) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    };

    const client: EngineClient = {
      url,
      get workerId() {
        return workerId;
      },
      invoke<T>(functionId: string, data: unknown = {}, invokeOptions: { timeoutMs?: number } = {}) {
        if (closed) return Promise.reject(new EngineConnectionError(`the connection to the iii engine at ${url} is closed`));
        const invocationId = randomUUID();
        const timeoutMs = invokeOptions.timeoutMs ?? DEFAULT_INVOKE_TIMEOUT_MS;
        return new Promise<T>((resolve, reject) => {
          const timer = setTimeout(() => {
            pending.delete(invocationId);
            reject(new EngineConnectionError(`the iii engine at ${url} did not answer ${functionId} within ${timeoutMs} ms`));
          }, timeoutMs);
          pending.set(invocationId, { functionId, resolve: resolve as (v: unknown) => void, reject, timer });
          send({ type: 'invokefunction', invocation_id: invocationId, function_id: functionId, data });
        });
      },
      registerFunction(id, handler) {
        handlers.set(id, handler);
        send({ type: 'registerfunction', id });
      },
      registerTrigger(triggerType, functionId, config = {}) {
        send({ type: 'registertrigger', id: randomUUID(), trigger_type: triggerType, function_id: functionId, config });
      },
      close() {
        if (!closed) socket.close();
        return closedPromise;
      },
    };

    async function answerInvocation(message: Record<string, unknown>) {
      const functionId = String(message.function_id);
      const invocationId = message.invocation_id;
      const handler = handlers.get(functionId);
      const reply = (body: Record<string, unknown>) => {
        if (typeof invocationId === 'string') send({ type: 'invocationresult', invocation_id: invocationId, function_id: functionId, ...body });
      };
      if (!handler) return reply({ error: { code: 'function_not_found', message: `Function ${functionId} not found` } });
      try {
        reply({ result: (await handler(message.data)) ?? null });
      } catch (error) {
        reply({ error: { code: 'invocation_failed', message: (error as Error).message } });
      }
    }

    socket.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(event.data);
      } catch {
        return; // the protocol says: ignore what cannot be decoded
      }
      switch (message.type) {
        case 'workerregistered':
          workerId = String(message.worker_id ?? '');
          if (!settled) {
            settled = true;
            clearTimeout(connectTimer);
            resolveConnect(client);
          }
          break;
        case 'invocationresult': {
          const call = pending.get(String(message.invocation_id));
          if (!call) return;
          pending.delete(String(message.invocation_id));
          clearTimeout(call.timer);
          const error = message.error as { code?: string; message?: string } | undefined;
          if (error) call.reject(new EngineInvocationError(call.functionId, error.code ?? 'unknown', error.message ?? ''));
          else call.resolve(message.result);
          break;
        }
        case 'invokefunction':
          void answerInvocation(message);
          break;
        case 'ping':
          send({ type: 'pong' });
          break;
      }
    });

    socket.addEventListener('error', () => {
      fail(new EngineConnectionError(`could not connect to the iii engine at ${url}; is it running and is the URL right?`));
    });

    socket.addEventListener('close', () => {
      closed = true;
      clearTimeout(connectTimer);
      fail(new EngineConnectionError(`the iii engine at ${url} closed the connection before greeting it`));
      for (const call of pending.values()) {
        clearTimeout(call.timer);
        call.reject(new EngineConnectionError(`the connection to the iii engine at ${url} closed while waiting for ${call.functionId}`));
      }
      pending.clear();
      closedResolve();
    });
  });
}
