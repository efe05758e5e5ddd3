import { createReadStream, statSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';
import { type AssetFault, FaultQueue } from './faults';

export interface ReleaseServerOptions {
  /**
   * The folder served: `<root>/<owner>/<repo>/<tag…>/<asset>` answers
   * `GET /<owner>/<repo>/releases/download/<tag…>/<asset>`. Files are read at request time, so tests may add,
   * change or delete assets while the server runs.
   */
  root: string;
  /** Like github.com (default): the origin answers 302 to the bytes on a second server. `false` serves them itself. */
  redirect?: boolean;
}

export interface ReleaseRequest {
  /** `origin` plays github.com, `storage` the object store it redirects to (another port). */
  server: 'origin' | 'storage';
  method: string;
  /** The asset's path below the root: `<owner>/<repo>/<tag…>/<asset>` ('' for a URL outside the release layout). */
  asset: string;
  /** What the server answered (0 when the connection was cut before a status was sent). */
  status: number;
  /** Which fault, if any, was applied to this request. */
  fault?: AssetFault['kind'];
  authorization?: string;
}

export interface ReleaseServer {
  /** `http://127.0.0.1:<port>`: the github.com of the tests. */
  origin: string;
  /** `http://127.0.0.1:<port>` of the object store the origin redirects to. */
  storageOrigin: string;
  /** `{origin}/{owner}/{repo}`: what a `repoUrl` option would hold. */
  repoUrl(owner: string, repo: string): string;
  /** `{origin}/{owner}/{repo}/releases/download`: what a `releaseBaseUrl` option would hold. */
  releaseBaseUrl(owner: string, repo: string): string;
  /** Every request, in arrival order (logged when answered). */
  readonly requests: ReleaseRequest[];
  /** The requests whose asset path ends with `suffix`. */
  requestsFor(suffix: string): ReleaseRequest[];
  clearRequests(): void;
  /** TCP connections accepted since the start (or the last `clearRequests`), and how many are still open, per server. */
  connections(): Record<ReleaseRequest['server'], { opened: number; open: number }>;
  /** Queues faults for the next requests of assets whose path ends with `assetSuffix`, one fault per request. */
  failNext(assetSuffix: string, ...faults: AssetFault[]): void;
  /** Drops every queued fault. */
  clearFaults(): void;
  close(): Promise<void>;
}

const DOWNLOAD_PATH = /^\/([^/]+)\/([^/]+)\/releases\/download\/(.+)$/;

/**
 * A release host on 127.0.0.1 shaped like GitHub: `GET /<owner>/<repo>/releases/download/<tag>/<asset>` answers 302
 * to a signed-looking URL on a second server (another port, so a token sent across the redirect would show in the
 * log), which streams the file from `root`. Unknown assets are 404 at the origin. Faults (an HTTP status, a
 * connection reset mid-body, a slow body) are applied where the bytes are served.
 */
export async function startReleaseServer(options: ReleaseServerOptions): Promise<ReleaseServer> {
  const root = resolve(options.root);
  const redirect = options.redirect ?? true;
  const faults = new FaultQueue();
  const requests: ReleaseRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const fileOf = (asset: string): string | undefined => {
    const file = resolve(root, asset);
    if (!file.startsWith(root + sep)) return undefined; // `..` must not leave the served folder
    return statSync(file, { throwIfNoEntry: false })?.isFile() ? file : undefined;
  };

  const log = (server: ReleaseRequest['server'], req: IncomingMessage, asset: string, status: number, fault?: AssetFault) =>
    requests.push({
      server,
      method: req.method ?? 'GET',
      asset,
      status,
      ...(fault ? { fault: fault.kind } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });

  const notFound = (res: ServerResponse) => res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');

  /** Streams the asset's bytes, or applies the next queued fault instead. */
  const serveBytes = (server: ReleaseRequest['server'], req: IncomingMessage, res: ServerResponse, asset: string) => {
    const fault = faults.take(asset);
    if (fault?.kind === 'status') {
      log(server, req, asset, fault.status, fault);
      res.writeHead(fault.status, { 'content-type': 'text/plain' }).end(`fault: HTTP ${fault.status}`);
      return;
    }
    const file = fileOf(asset);
    if (!file) {
      log(server, req, asset, 404, fault);
      notFound(res);
      return;
    }
    const size = statSync(file).size;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
    log(server, req, asset, fault?.kind === 'reset-mid-body' ? 0 : 200, fault);
    if (fault?.kind === 'reset-mid-body') {
      // Half the promised bytes, then a cut: the client sees a truncated body, not an HTTP error.
      createReadStream(file, { start: 0, end: Math.max(0, Math.floor(size / 2) - 1) })
        .on('end', () => res.socket?.destroy())
        .pipe(res, { end: false });
      return;
    }
    if (fault?.kind === 'slow-body') {
      createReadStream(file, { start: 0, end: Math.max(0, Math.floor(size / 2) - 1) })
        .on('end', () => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            createReadStream(file, { start: Math.floor(size / 2) }).pipe(res);
          }, fault.delayMs);
          timers.add(timer);
        })
        .pipe(res, { end: false });
      return;
    }
    createReadStream(file).pipe(res);
  };

  const storage = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://storage');
    const asset = decodeURIComponent(url.pathname.replace(/^\/objects\//, ''));
    serveBytes('storage', req, res, asset);
  });
  const storageOrigin = await listen(storage);

  const origin = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://origin');
    const match = DOWNLOAD_PATH.exec(url.pathname);
    const asset = match ? decodeURIComponent(`${match[1]}/${match[2]}/${match[3]}`) : '';
    if (!match || (req.method !== 'GET' && req.method !== 'HEAD')) {
      log('origin', req, asset, 404);
      notFound(res);
      return;
    }
    if (!redirect) return serveBytes('origin', req, res, asset);
    if (!fileOf(asset)) {
      log('origin', req, asset, 404);
      notFound(res);
      return;
    }
    // Like GitHub: a short-lived, signed object-store URL on another host.
    log('origin', req, asset, 302);
    res.writeHead(302, { location: `${storageOrigin}/objects/${asset}?X-Amz-Signature=e2e` }).end();
  });
  const originUrl = await listen(origin);

  const sockets = { origin: { opened: 0, open: 0 }, storage: { opened: 0, open: 0 } };
  for (const [role, server] of [['origin', origin], ['storage', storage]] as const) {
    server.on('connection', (socket) => {
      sockets[role].opened++;
      sockets[role].open++;
      socket.on('close', () => sockets[role].open--);
    });
  }

  return {
    origin: originUrl,
    storageOrigin,
    repoUrl: (owner, repo) => `${originUrl}/${owner}/${repo}`,
    releaseBaseUrl: (owner, repo) => `${originUrl}/${owner}/${repo}/releases/download`,
    requests,
    requestsFor: (suffix) => requests.filter((request) => request.asset.endsWith(suffix)),
    clearRequests: () => {
      requests.splice(0);
      sockets.origin.opened = sockets.origin.open;
      sockets.storage.opened = sockets.storage.open;
    },
    connections: () => ({ origin: { ...sockets.origin }, storage: { ...sockets.storage } }),
    failNext: (assetSuffix, ...queued) => faults.add(assetSuffix, queued),
    clearFaults: () => faults.clear(),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all([closeServer(origin), closeServer(storage)]);
    },
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}
