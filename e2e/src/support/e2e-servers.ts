import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureBinary, makeReleaseAssets, type MakeReleaseAssetsOptions, type ReleaseAssetSet } from '../../../tools/fixture-workers/src';
import { startRegistryServer, type RegistryServer } from '../../../tools/registry-server/src';
import { startReleaseServer, writeReleaseAsset, type ReleaseServer } from '../../../tools/release-server/src';

/** The repository the fixture workers pretend to live in; its releases are served by the local release server. */
export const E2E_REPO = { owner: 'iii-hq', repo: 'workers-e2e', url: 'https://github.com/iii-hq/workers-e2e' } as const;

/** The greeting baked into built-greeter's released binary (its local build says "Hello" unless told otherwise). */
export const RELEASED_GREETING = 'Greetings from the release';

export interface PublishedRelease extends ReleaseAssetSet {
  tag: string;
  bin: string;
}

/** The registry stand-in and the release server every e2e workspace talks to, all on 127.0.0.1. */
export interface E2eServers {
  registry: RegistryServer;
  releases: ReleaseServer;
  /** `{origin}/iii-hq/workers-e2e/releases/download` on the release server. */
  releaseBaseUrl: string;
  /** `{origin}/iii-hq/workers-e2e`: a repoUrl whose default releaseBaseUrl is the release server. */
  localRepoUrl: string;
  /** A fresh key per suite, so finding it anywhere is evidence of a leak. */
  apiKey: string;
  publishRelease(release: { tag: string } & Omit<MakeReleaseAssetsOptions, 'targets'>): Promise<PublishedRelease>;
  /** Uploads files as they are to the release of `tag` (e.g. a bundle's `{worker}.tar.gz` and `{worker}.sha256`). */
  uploadAssets(tag: string, assets: { name: string; body: Buffer | string }[]): void;
  close(): Promise<void>;
}

export async function startE2eServers(): Promise<E2eServers> {
  const apiKey = `e2e-registry-key-${randomUUID()}`;
  const releasesRoot = mkdtempSync(join(tmpdir(), 'nxwp-e2e-releases-'));
  const registry = await startRegistryServer({ apiKey });
  const releases = await startReleaseServer({ root: releasesRoot });
  return {
    registry,
    releases,
    releaseBaseUrl: releases.releaseBaseUrl(E2E_REPO.owner, E2E_REPO.repo),
    localRepoUrl: releases.repoUrl(E2E_REPO.owner, E2E_REPO.repo),
    apiKey,
    async publishRelease({ tag, ...assets }) {
      const set = await makeReleaseAssets(assets);
      for (const asset of set.assets) writeReleaseAsset(releasesRoot, { ...E2E_REPO, tag }, asset.name, asset.body);
      return { ...set, tag, bin: assets.bin };
    },
    uploadAssets(tag, assets) {
      for (const asset of assets) writeReleaseAsset(releasesRoot, { ...E2E_REPO, tag }, asset.name, asset.body);
    },
    async close() {
      await Promise.all([registry.stop(), releases.close()]);
      rmSync(releasesRoot, { recursive: true, force: true });
    },
  };
}

/** The releases the happy-path fixtures need: release-echo v1.2.0 and built-greeter v2.0.1 (with its released greeting). */
export async function publishFixtureReleases(servers: E2eServers): Promise<{ releaseEcho: PublishedRelease; builtGreeter: PublishedRelease }> {
  const releaseEcho = await servers.publishRelease({ tag: 'release-echo/v1.2.0', bin: 'release-echo', binary: fixtureBinary('release-echo') });
  const builtGreeter = await servers.publishRelease({
    tag: 'built-greeter/v2.0.1',
    bin: 'built-greeter',
    binary: fixtureBinary('built-greeter', { greeting: RELEASED_GREETING }),
  });
  return { releaseEcho, builtGreeter };
}

/** What a correct `binaries` map of a release on the local server holds. */
export function expectedBinaries(servers: E2eServers, release: PublishedRelease): Record<string, { url: string; sha256: string }> {
  return Object.fromEntries(
    Object.entries(release.sha256ByTarget).map(([target, sha256]) => [
      target,
      { url: `${servers.releaseBaseUrl}/${release.tag}/${release.archiveByTarget[target]}`, sha256 },
    ]),
  );
}
