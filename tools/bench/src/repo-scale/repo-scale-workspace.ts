import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RELEASE_TARGETS, hostReleaseTarget } from 'nx-worker-publish/dist/core/release-assets/index';
import { releaseAssetFile, startReleaseServer, type ReleaseServer, writeReleaseAsset } from '../../../release-server/src';
import { linkNodeModules } from '../lib/fixtures';
import type { TempSpace } from '../lib/temp-space';
import { writePaddedArchive } from './padded-archive';
import { repoWorkers, type RepoWorker } from './repo-shape';
import { syntheticWorkerScript } from './synthetic-worker';

export const VERSION = '0.1.0';
const OWNER = 'bench';
const REPO = 'workers';
const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/** The real compiled worker every release-binary worker ships (one build, copied and padded per worker). */
export interface RustBinary {
  file: string;
  /** Files the binary reads from its worker folder (the fixture's config.yaml). */
  workerFiles: Array<{ path: string; content: Buffer }>;
  /** Its crate's iii-sdk version: each worker's Cargo.toml names it, so engineGeneration auto picks its generation. */
  fixture: { sdkVersion: string };
}

export interface RepoScaleWorkspace {
  root: string;
  workers: RepoWorker[];
  server: ReleaseServer;
  /** Bytes of all release assets the cold run downloads (binaries and bundles). */
  downloadBytes: number;
  /** `{releaseBaseUrl}/{tag}/{bin}-{target}.tar.gz` of a release-binary worker (its bin is its name). */
  archiveUrl(worker: RepoWorker): string;
  close(): Promise<void>;
}

const tagOf = (worker: RepoWorker) => `${worker.name}/v${VERSION}`;

function nodeWorkerFiles(dir: string, worker: RepoWorker, deploy: string): void {
  writeFileSync(
    join(dir, 'iii.worker.yaml'),
    `iii: v1\nname: ${worker.name}\nlanguage: node\ndeploy: ${deploy}\nmanifest: package.json\ndescription: Benchmark ${worker.kind} worker (${worker.functions} functions)\nscripts:\n  start: node worker.js\n`,
  );
  writeFileSync(join(dir, 'package.json'), json({ name: worker.name, version: VERSION, private: true, scripts: { start: 'node worker.js' } }));
  writeFileSync(join(dir, 'worker.js'), syntheticWorkerScript({ namespace: worker.name.replace(/-/g, '_'), functions: worker.functions, triggerTypes: worker.triggerTypes }));
}

/** One worker folder, its project.json (per-project options: the release tag, the image) and its release assets. */
async function writeWorker(root: string, releaseRoot: string, worker: RepoWorker, target: string, rust: { binary: Buffer; workerFiles: RustBinary['workerFiles']; sdkVersion: string }): Promise<number> {
  const dir = join(root, 'workers', worker.name);
  mkdirSync(dir, { recursive: true });
  const release = { owner: OWNER, repo: REPO, tag: tagOf(worker) };
  const collect: Record<string, unknown> = {};
  const publish: Record<string, unknown> = {};
  let downloaded = 0;

  if (worker.kind === 'release-binary') {
    const bin = worker.name;
    writeFileSync(join(dir, 'iii.worker.yaml'), `iii: v1\nname: ${bin}\nlanguage: rust\ndeploy: binary\nmanifest: Cargo.toml\nbin: ${bin}\ndescription: Benchmark release-binary worker (${worker.functions} functions)\n`);
    writeFileSync(join(dir, 'Cargo.toml'), `[package]\nname = "${bin}"\nversion = "${VERSION}"\nedition = "2021"\n\n[dependencies]\niii-sdk = "=${rust.sdkVersion}"\n`);
    for (const file of rust.workerFiles) writeFileSync(join(dir, file.path), file.content);
    const archive = releaseAssetFile(releaseRoot, release, `${bin}-${target}.tar.gz`);
    // The real binary (gzip -6, as release archives are) beside the incompressible padding of the repository's shape.
    const { bytes, sha256 } = await writePaddedArchive(archive, [{ path: bin, mode: 0o755, content: rust.binary }], worker.assetBytes);
    // The publish's `binaries` map reads every target's checksum; only the host's archive is ever downloaded.
    for (const t of DEFAULT_RELEASE_TARGETS) writeReleaseAsset(releaseRoot, release, `${bin}-${t}.sha256`, `${sha256}  ${bin}-${t}.tar.gz\n`);
    collect.tag = tagOf(worker);
    downloaded = bytes;
  } else if (worker.kind === 'bundle') {
    nodeWorkerFiles(dir, worker, 'bundle');
    // The bundle as its release ships it: the worker's files (manifest with scripts) plus some weight.
    const files = ['iii.worker.yaml', 'package.json', 'worker.js'].map((path) => ({ path, mode: 0o644, content: readFileSync(join(dir, path)) }));
    const archive = releaseAssetFile(releaseRoot, release, `${worker.name}.tar.gz`);
    const { bytes, sha256 } = await writePaddedArchive(archive, files, worker.assetBytes);
    writeReleaseAsset(releaseRoot, release, `${worker.name}.sha256`, `${sha256}  ${worker.name}.tar.gz\n`);
    collect.tag = tagOf(worker);
    downloaded = bytes;
  } else {
    nodeWorkerFiles(dir, worker, 'image');
    publish.imageTag = `ghcr.io/${OWNER}/${worker.name}:${VERSION}`;
  }
  const targets: Record<string, unknown> = {};
  if (Object.keys(collect).length > 0) targets['collect-interface'] = { options: collect };
  if (Object.keys(publish).length > 0) targets['publish-interface'] = { options: publish };
  writeFileSync(join(dir, 'project.json'), json({ name: worker.name, targets }));
  return downloaded;
}

/**
 * A temporary Nx workspace shaped like the workers repository, with its releases served by a GitHub-shaped release
 * server on 127.0.0.1. Publishing is a dry run (the payload is written, nothing is sent); the registry URL points at
 * a closed port so a real POST would fail loudly.
 */
/**
 * A git repository like the workers repository's checkout on CI: one commit and each worker's annotated release tag
 * (publish reads its `registry-tag:` line). Signing and the host's config are kept out.
 */
function commitWithReleaseTags(root: string, workers: RepoWorker[]): void {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', '-c', 'commit.gpgSign=false', '-c', 'tag.gpgSign=false', ...args], { cwd: root, stdio: 'ignore' });
  writeFileSync(join(root, '.gitignore'), 'node_modules\ndist\n.nx\n');
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'workers');
  for (const worker of workers) git('tag', '-a', tagOf(worker), '-m', `Release ${tagOf(worker)}\n\nworker: ${worker.name}\nversion: ${VERSION}\nregistry-tag: latest`);
}

export async function createRepoScaleWorkspace(space: TempSpace, rustBinary: RustBinary, log: (line: string) => void, workers = repoWorkers()): Promise<RepoScaleWorkspace> {
  const root = space.dir('repo-scale');
  linkNodeModules(root);
  const releaseRoot = space.dir('repo-scale-releases');
  const server = await startReleaseServer({ root: releaseRoot });
  const releaseBaseUrl = server.releaseBaseUrl(OWNER, REPO);
  writeFileSync(join(root, 'package.json'), json({ name: 'repo-scale-workspace', version: '0.0.0', private: true }));
  writeFileSync(
    join(root, 'nx.json'),
    json({
      namedInputs: { default: ['{projectRoot}/**/*'] },
      plugins: [
        {
          plugin: 'nx-worker-publish',
          options: {
            collectOptions: { releaseBaseUrl },
            publishOptions: { releaseBaseUrl, repoUrl: server.repoUrl(OWNER, REPO), dryRun: true, apiUrl: 'http://127.0.0.1:9' },
          },
        },
      ],
    }),
  );
  const target = hostReleaseTarget();
  const started = performance.now();
  let downloadBytes = 0;
  const rust = { binary: readFileSync(rustBinary.file), workerFiles: rustBinary.workerFiles, sdkVersion: rustBinary.fixture.sdkVersion };
  for (const worker of workers) downloadBytes += await writeWorker(root, releaseRoot, worker, target, rust);
  commitWithReleaseTags(root, workers);
  log(`  generated ${workers.length} workers, ${(downloadBytes / 1024 / 1024 / 1024).toFixed(2)} GB of release assets to download, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const archiveUrl = (worker: RepoWorker) => `${releaseBaseUrl}/${tagOf(worker)}/${worker.name}-${target}.tar.gz`;
  return { root, workers, server, downloadBytes, archiveUrl, close: () => server.close() };
}
