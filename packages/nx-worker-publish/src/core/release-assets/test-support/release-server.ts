import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sha256Hex } from './tarball';

export interface LoggedRequest {
  /** `origin` plays github.com (answers 302), `storage` its object store on another port. */
  server: 'origin' | 'storage';
  method: string;
  /** The asset path below the release base, e.g. `skills/v0.1.0/skills-x86_64-unknown-linux-gnu.tar.gz`. */
  asset: string;
  authorization?: string;
}

/** What to do instead of serving an asset, once per request, in order. */
export type Fault =
  | { status: number }
  /** Send the headers and half of the body, then cut the connection. */
  | { resetMidBody: true };

export interface ReleaseServer {
  /** `http://127.0.0.1:<port>/releases/download` */
  releaseBaseUrl: string;
  storageOrigin: string;
  requests: LoggedRequest[];
  /** Serve `body` at `{releaseBaseUrl}/{asset}`. */
  setAsset(asset: string, body: Buffer | string): void;
  removeAsset(asset: string): void;
  /** Upload an archive and its `.sha256` the way the release workflow does; `checksum` overrides the file's hash. */
  publish(release: { tag: string; bin: string; target: string; archive: Buffer; checksum?: string }): {
    archiveUrl: string;
    checksumUrl: string;
    sha256: string;
  };
  /** Queue faults for the next requests of `asset` (applied where the bytes are served). */
  failNext(asset: string, ...faults: Fault[]): void;
  requestsFor(assetSuffix: string): LoggedRequest[];
  close(): Promise<void>;
}

/**
 * A release host on 127.0.0.1 shaped like GitHub: `GET /releases/download/<tag>/<asset>` answers 302 to a
 * second server on another port that serves the bytes (or, with `redirect: false`, serves them itself).
 * Unknown assets are 404 at the origin. Every request is logged with its Authorization header.
 */
export async function startReleaseServer(options: { redirect?: boolean } = {}): Promise<ReleaseServer> {
  const redirect = options.redirect ?? true;
  const assets = new Map<string, Buffer>();
  const faults = new Map<string, Fault[]>();
  const requests: LoggedRequest[] = [];

  const serveBytes = (asset: string, res: ServerResponse) => {
    const fault = faults.get(asset)?.shift();
    const body = assets.get(asset);
    if (fault && 'status' in fault) {
      res.writeHead(fault.status, { 'content-type': 'text/plain' }).end(`fault ${fault.status}`);
      return;
    }
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    if (fault && 'resetMidBody' in fault) {
      res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  };

  const log = (server: LoggedRequest['server'], req: IncomingMessage, asset: string) =>
    requests.push({
      server,
      method: req.method ?? 'GET',
      asset,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });

  const storage = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://storage');
    const asset = decodeURIComponent(url.pathname.replace(/^\/objects\//, ''));
    log('storage', req, asset);
    serveBytes(asset, res);
  });
  const storageOrigin = await listen(storage);

  const origin = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://origin');
    const prefix = '/releases/download/';
    const asset = url.pathname.startsWith(prefix) ? decodeURIComponent(url.pathname.slice(prefix.length)) : '';
    log('origin', req, asset);
    if (!redirect) return serveBytes(asset, res);
    if (!assets.has(asset)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    // Like GitHub: a signed, short-lived object-store URL on another host.
    res.writeHead(302, { location: `${storageOrigin}/objects/${asset}?X-Signature=test` }).end();
  });
  const originUrl = await listen(origin);
  const releaseBaseUrl = `${originUrl}/releases/download`;

  return {
    releaseBaseUrl,
    storageOrigin,
    requests,
    setAsset: (asset, body) => void assets.set(asset, Buffer.from(body)),
    removeAsset: (asset) => void assets.delete(asset),
    publish({ tag, bin, target, archive, checksum }) {
      const stem = `${tag}/${bin}-${target}`;
      const sha256 = sha256Hex(archive);
      assets.set(`${stem}.tar.gz`, archive);
      assets.set(`${stem}.sha256`, Buffer.from(`${checksum ?? sha256}  ${bin}-${target}.tar.gz\n`));
      return { archiveUrl: `${releaseBaseUrl}/${stem}.tar.gz`, checksumUrl: `${releaseBaseUrl}/${stem}.sha256`, sha256 };
    },
    failNext(asset, ...queued) {
      faults.set(asset, [...(faults.get(asset) ?? []), ...queued]);
    },
    requestsFor: (suffix) => requests.filter((request) => request.asset.endsWith(suffix)),
    close: async () => {
      await Promise.all([closeServer(origin), closeServer(storage)]);
    },
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
