import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { EngineCore } from './engine-core';
import { TELEMETRY_FRAME_PREFIXES } from './protocol';
import type { WorkerConnection } from './worker-connection';

/**
 * `ws` refused a frame and is closing the worker's connection (e.g. a text frame that is not valid UTF-8, close code
 * 1007): without this the worker would just vanish with no reason given.
 */
export type ConnectionErrorListener = (connection: WorkerConnection, error: Error & { code?: string }) => void;

/** The engine could not bind its WebSocket listener. */
export class EngineListenError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string | undefined,
  ) {
    const where = `${host}:${port}`;
    const reason =
      code === 'EADDRINUSE'
        ? `${where} is already in use. Stop the process that holds it, or choose another port (0 picks a free one).`
        : code === 'EACCES'
          ? `binding ${where} is not permitted. Use a port above 1023, or 0 to pick a free one.`
          : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
            ? `the address ${host} does not belong to this machine. Use 127.0.0.1 (or 0.0.0.0 for all interfaces).`
            : `listening on ${where} failed (${code ?? 'unknown error'}).`;
    super(`The embedded iii engine could not listen on ${where}: ${reason}`);
    this.name = 'EngineListenError';
  }
}

export interface EngineServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 500;

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** The request's path without its query; never throws, whatever the request line holds. */
const pathOf = (req: http.IncomingMessage) => (req.url ?? '/').split('?')[0];

function rejectUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

/**
 * The worker manager's listener (spec §1): `GET /` upgrades to a worker session, `/otel` to a telemetry
 * sink whose frames are discarded; anything else is refused. WS-level pings are answered by `ws` itself; pongs to the
 * engine's own pings go to the connection (`WorkerConnection.caughtUp`).
 */
export function listenEngineServer(core: EngineCore, host: string, port: number, onConnectionError?: ConnectionErrorListener): Promise<EngineServer> {
  const wss = new WebSocketServer({ noServer: true });
  const server = http.createServer((req, res) => {
    const path = pathOf(req);
    res.writeHead(path === '/' || path === '/otel' ? 426 : 404, { 'content-type': 'text/plain' }).end();
  });

  const acceptWorker = (ws: WebSocket, req: http.IncomingMessage) => {
    const ip = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? null;
    const connection = core.open(ws, ip);
    ws.on('message', (data, isBinary) => {
      const bytes = toBuffer(data);
      if (isBinary && TELEMETRY_FRAME_PREFIXES.includes(bytes.subarray(0, 4).toString('latin1'))) return;
      core.receive(connection, bytes.toString('utf8'));
    });
    // Same order as the frames before it: `ws` emits message and pong events one frame after another.
    ws.on('pong', (data) => connection.pongReceived(toBuffer(data)));
    ws.on('close', () => {
      core.close(connection);
      connection.socketClosed();
    });
    ws.on('error', (error) => onConnectionError?.(connection, error)); // 'close' follows
  };

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    const path = pathOf(req);
    if (path !== '/' && path !== '/otel') return rejectUpgrade(socket, '404 Not Found');
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (path === '/') return acceptWorker(ws, req);
      ws.on('error', () => undefined); // telemetry: accepted, never read
    });
  });

  const close = async () => {
    const clients = [...wss.clients];
    await new Promise<void>((resolve) => {
      if (clients.length === 0) return resolve();
      let open = clients.length;
      const timer = setTimeout(() => {
        for (const ws of clients) ws.terminate();
        resolve();
      }, CLOSE_GRACE_MS);
      for (const ws of clients) {
        ws.once('close', () => {
          if (--open === 0) {
            clearTimeout(timer);
            resolve();
          }
        });
        ws.close(1001, 'engine stopping');
      }
    });
    wss.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };

  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(new EngineListenError(host, port, error.code));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      server.on('error', () => undefined); // accept errors after startup must not crash the host process
      const address = server.address();
      resolve({ host, port: typeof address === 'object' && address ? address.port : port, close });
    });
  });
}
