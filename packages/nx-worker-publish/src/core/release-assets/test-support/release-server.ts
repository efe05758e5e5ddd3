import { faults, startReleaseServer as startToolReleaseServer, writeReleaseAsset, type AssetFault, type ReleaseServer as ToolReleaseServer } from '@nx-worker-publish/release-server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from './tarball';

/**
 * The core tests' view of `tools/release-server` (the one release host of the repository): one repository, assets
 * named by their path below the release base (`<tag>/<file>`), and in-memory-looking `setAsset`/`removeAsset`.
 */
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
  /** `http://127.0.0.1:<port>/<owner>/<repo>/releases/download` */
  releaseBaseUrl: string;
  storageOrigin: string;
  /** Every request so far, in arrival order. */
  readonly requests: LoggedRequest[];
  clearRequests(): void;
  /** TCP connections accepted since the last `clearRequests` (open ones count again), and those still open. */
  connections: ToolReleaseServer['connections'];
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

const REPOSITORY = { owner: 'example', repo: 'workers' };
const ASSET_PREFIX = `${REPOSITORY.owner}/${REPOSITORY.repo}/`;

export async function startReleaseServer(options: { redirect?: boolean } = {}): Promise<ReleaseServer> {
  const root = mkdtempSync(join(tmpdir(), 'release-assets-'));
  const server = await startToolReleaseServer({ root, redirect: options.redirect });
  const releaseBaseUrl = server.releaseBaseUrl(REPOSITORY.owner, REPOSITORY.repo);
  const splitAsset = (asset: string) => {
    const slash = asset.lastIndexOf('/');
    return { tag: asset.slice(0, slash), name: asset.slice(slash + 1) };
  };
  const setAsset = (asset: string, body: Buffer | string) => {
    const { tag, name } = splitAsset(asset);
    writeReleaseAsset(root, { ...REPOSITORY, tag }, name, body);
  };
  const toFault = (fault: Fault): AssetFault => ('status' in fault ? faults.status(fault.status) : faults.resetMidBody());
  const requests = () =>
    server.requests.map(({ server: role, method, asset, authorization }) => ({
      server: role,
      method,
      asset: asset.startsWith(ASSET_PREFIX) ? asset.slice(ASSET_PREFIX.length) : asset,
      ...(authorization ? { authorization } : {}),
    }));

  return {
    releaseBaseUrl,
    storageOrigin: server.storageOrigin,
    get requests() {
      return requests();
    },
    clearRequests: () => server.clearRequests(),
    connections: () => server.connections(),
    setAsset,
    removeAsset: (asset) => rmSync(join(root, ASSET_PREFIX, asset), { force: true }),
    publish({ tag, bin, target, archive, checksum }) {
      const stem = `${tag}/${bin}-${target}`;
      const sha256 = sha256Hex(archive);
      setAsset(`${stem}.tar.gz`, archive);
      setAsset(`${stem}.sha256`, `${checksum ?? sha256}  ${bin}-${target}.tar.gz\n`);
      return { archiveUrl: `${releaseBaseUrl}/${stem}.tar.gz`, checksumUrl: `${releaseBaseUrl}/${stem}.sha256`, sha256 };
    },
    failNext: (asset, ...queued) => server.failNext(`${ASSET_PREFIX}${asset}`, ...queued.map(toFault)),
    requestsFor: (suffix) => requests().filter((request) => request.asset.endsWith(suffix)),
    close: async () => {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
