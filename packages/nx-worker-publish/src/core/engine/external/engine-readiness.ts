import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Agent, WebSocket } from 'undici';
import { EngineNotReadyError, EngineOptionError } from './external-engine-errors';

export interface WaitForEngineReadyOptions {
  /** Stop probing (rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Pause between failed attempts (default 50 ms). */
  retryMs?: number;
}

const ATTEMPT_TIMEOUT_MS = 5000;

/**
 * Resolves once an iii engine at `url` accepts a WebSocket connection and answers an
 * `engine::workers::list` invocation (any `invocationresult` with our id counts: even an error answer
 * proves the engine routes calls). Retries every ~50 ms until `timeoutMs`, then throws EngineNotReadyError.
 */
export async function waitForEngineReady(url: string, timeoutMs = 30_000, options: WaitForEngineReadyOptions = {}): Promise<void> {
  assertWebSocketUrl(url);
  const deadline = Date.now() + timeoutMs;
  let lastError: string | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new EngineNotReadyError(url, timeoutMs, lastError);
    try {
      await probeEngineOnce(url, Math.min(remaining, ATTEMPT_TIMEOUT_MS), options.signal);
      return;
    } catch (error) {
      options.signal?.throwIfAborted();
      // An attempt cut short by the deadline says less than the concrete failure before it.
      if (!(error instanceof ProbeTimeoutError) || lastError === undefined) lastError = error instanceof Error ? error.message : String(error);
    }
    await delay(Math.min(options.retryMs ?? 50, Math.max(0, deadline - Date.now())), options.signal);
  }
}

/** One connection: open, call `engine::workers::list`, wait for the matching `invocationresult`, close. */
export function probeEngineOnce(url: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const invocationId = randomUUID();
    // A private dispatcher, destroyed at the end: closing a WebSocket that is still in its handshake does
    // not release the TCP socket, and a server that accepts but never upgrades would keep it forever.
    const dispatcher = new Agent({ connections: 1 });
    const socket = new WebSocket(url, { dispatcher });
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close();
      void dispatcher.destroy().catch(() => undefined);
      if (error) reject(error);
      else resolve();
    };
    const onAbort = () => finish(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    const timer = setTimeout(() => finish(new ProbeTimeoutError(timeoutMs)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ type: 'invokefunction', invocation_id: invocationId, function_id: 'engine::workers::list', data: {} }));
    });
    socket.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      let message: { type?: unknown; invocation_id?: unknown };
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message.type === 'invocationresult' && message.invocation_id === invocationId) finish();
    });
    // undici's handshake errors carry no reason, so a failed connection is explained by a plain TCP probe.
    let explaining = false;
    const failConnection = () => {
      if (settled || explaining) return;
      explaining = true;
      void explainHandshakeFailure(url).then((reason) => finish(new Error(reason)));
    };
    socket.addEventListener('error', failConnection);
    socket.addEventListener('close', (event) => {
      if (event.code === 1006) failConnection();
      else finish(new Error(`connection closed (code ${event.code}) before an answer`));
    });
  });
}

class ProbeTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer to engine::workers::list within ${timeoutMs} ms`);
  }
}

/** A short reason for a failed handshake: the TCP error (ECONNREFUSED…), or "not a WebSocket endpoint". */
function explainHandshakeFailure(url: string): Promise<string> {
  const { hostname, port, protocol } = new URL(url);
  return new Promise((resolve) => {
    const tcp = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || (protocol === 'wss:' ? 443 : 80)) });
    tcp.setTimeout(1000);
    tcp.once('connect', () => {
      tcp.destroy();
      resolve('the server accepted TCP but refused the WebSocket handshake (is it an iii engine?)');
    });
    tcp.once('timeout', () => {
      tcp.destroy();
      resolve('cannot connect: TCP connect timed out');
    });
    tcp.once('error', (error: NodeJS.ErrnoException) => resolve(`cannot connect: ${error.code ?? error.message}`));
  });
}

function assertWebSocketUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')) {
    throw new EngineOptionError(`"${url}" is not an iii engine URL: use ws://host:port (for example ws://127.0.0.1:49134).`);
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
