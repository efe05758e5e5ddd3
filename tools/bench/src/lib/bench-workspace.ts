import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostReleaseTarget } from 'nx-worker-publish/dist/core/release-assets/index';
import { startReleaseServer, type ReleaseServer } from '../../../release-server/src';
import { copyTodoWorker, linkNodeModules, releaseBinaryScript, writeBinaryWorker } from './fixtures';
import { assertNxSucceeded, runNx } from './nx-runner';
import { publishReleaseArchive, type Release } from './release-fixture';
import type { TempSpace } from './temp-space';

export const RELEASE_BIN = 'relbin';
export const PARALLEL_WORKERS = 8;
export const todoProject = (index: number) => `todo-${index}`;

export interface PublishedRelease extends Release {
  releaseBaseUrl: string;
  archiveUrl: string;
  archiveBytes: number;
}

export interface BenchWorkspace {
  root: string;
  server: ReleaseServer;
  /** relbin: `deploy: binary`, served as a ~50 MB release asset. */
  release: PublishedRelease;
  /** The served folder (more releases may be published into it). */
  releaseRoot: string;
  /** Publishes another release of `bin` with `paddingBytes` of random bytes beside the binary. */
  publish(bin: string, tag: string, paddingBytes: number): Promise<PublishedRelease>;
  close(): Promise<void>;
}

/**
 * A temporary Nx workspace like a user's (nx.json with the plugin, node_modules linked to the repository's):
 * `workers/relbin` (release binary), `workers/todo-1..8` (Node iii-sdk workers with scripts.start) and
 * `workers/baseline` (an `nx:noop` target, to time Nx itself); plus a GitHub-shaped release server on 127.0.0.1.
 */
export async function createBenchWorkspace(space: TempSpace, archiveMb: number): Promise<BenchWorkspace> {
  const root = space.dir('nx-workspace');
  linkNodeModules(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'bench-workspace', version: '0.0.0', private: true }, null, 2));
  writeFileSync(
    join(root, 'nx.json'),
    JSON.stringify({ namedInputs: { default: ['{projectRoot}/**/*'] }, plugins: ['nx-worker-publish'] }, null, 2),
  );
  mkdirSync(join(root, 'workers'));
  writeBinaryWorker(join(root, 'workers'), RELEASE_BIN, RELEASE_BIN, '0.1.0');
  for (let i = 1; i <= PARALLEL_WORKERS; i++) copyTodoWorker(join(root, 'workers'), todoProject(i), todoProject(i));
  mkdirSync(join(root, 'workers', 'baseline'));
  writeFileSync(join(root, 'workers', 'baseline', 'project.json'), JSON.stringify({ name: 'baseline', targets: { noop: { executor: 'nx:noop' } } }));

  const releaseRoot = space.dir('release-assets');
  const server = await startReleaseServer({ root: releaseRoot });
  const target = hostReleaseTarget();
  const publish = async (bin: string, tag: string, paddingBytes: number): Promise<PublishedRelease> => {
    const release: Release = { owner: 'bench', repo: 'workers', tag, bin, target };
    const { bytes } = await publishReleaseArchive(releaseRoot, release, [
      { path: bin, mode: 0o755, content: releaseBinaryScript(bin) },
      { path: 'padding.bin', mode: 0o644, content: { randomBytes: paddingBytes } },
    ]);
    const releaseBaseUrl = server.releaseBaseUrl(release.owner, release.repo);
    return { ...release, releaseBaseUrl, archiveUrl: `${releaseBaseUrl}/${tag}/${bin}-${target}.tar.gz`, archiveBytes: bytes };
  };
  const release = await publish(RELEASE_BIN, `${RELEASE_BIN}/v0.1.0`, archiveMb * 1024 * 1024);

  // The first Nx run of a workspace creates .nx/workspace-data; keep it out of the timed runs.
  assertNxSucceeded(await runNx(root, ['show', 'projects']), 'nx show projects in the bench workspace');
  return { root, server, release, releaseRoot, publish, close: () => server.close() };
}
