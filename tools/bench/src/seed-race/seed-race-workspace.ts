/**
 * The seed race's temporary Nx workspace: the real Rust fixture worker twice,
 *  - `workers/<bin>`: `deploy: binary` with no build target, so collection runs its released binary (its real
 *    release build packed as `<bin>-<target>.tar.gz` + `.sha256` on a GitHub-shaped release server);
 *  - `built/<bin>` (project `<bin>-built`): the same crate with a cached `build` target (`cargo build --release`
 *    into the bench's shared target folder, copied to `target/release/<bin>`), so collection runs the build output
 *    Nx restores from that target's cache.
 * The collect-interface inputs include `SEED_RACE_RUN`, so a run can miss collection's cache while the build hits.
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostReleaseTarget } from 'nx-worker-publish/dist/core/release-assets/index';
import { startReleaseServer, type ReleaseServer } from '../../../release-server/src';
import { linkNodeModules } from '../lib/fixtures';
import { assertNxSucceeded, runNx } from '../lib/nx-runner';
import { publishReleaseArchive } from '../lib/release-fixture';
import type { TempSpace } from '../lib/temp-space';
import { benchCargoTarget, cargoFetch, layRustWorker, prepareRustBinary, type RustFixture } from './rust-fixture';

/** The env input that changes only collection's task hash. */
export const RUN_INPUT_ENV = 'SEED_RACE_RUN';

export interface SeedRaceWorkspace {
  root: string;
  fixture: RustFixture;
  /** `workers/<bin>`: run from here by the seed's jobs and by release-binary collection. */
  workerDir: string;
  builtDir: string;
  releaseProject: string;
  builtProject: string;
  tag: string;
  releaseBaseUrl: string;
  archiveUrl: string;
  binaryBytes: number;
  archiveBytes: number;
  server: ReleaseServer;
  close(): Promise<void>;
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

export async function createSeedRaceWorkspace(space: TempSpace, fixture: RustFixture, log: (line: string) => void): Promise<SeedRaceWorkspace> {
  const root = space.dir('seed-race');
  linkNodeModules(root);
  writeFileSync(join(root, 'package.json'), json({ name: 'seed-race-workspace', version: '0.0.0', private: true }));
  writeFileSync(
    join(root, 'nx.json'),
    json({
      namedInputs: {
        default: ['{projectRoot}/**/*'],
        workerInterface: ['{projectRoot}/**/*', '!{projectRoot}/target/**', '!{projectRoot}/project.json', { env: RUN_INPUT_ENV }],
      },
      plugins: ['nx-worker-publish'],
    }),
  );
  const { bin } = fixture;
  const workerDir = join(root, 'workers', bin);
  const builtDir = join(root, 'built', bin);
  layRustWorker(fixture, workerDir);
  layRustWorker(fixture, builtDir);
  const builtProject = `${bin}-built`;
  writeFileSync(
    join(builtDir, 'project.json'),
    json({
      name: builtProject,
      targets: {
        build: {
          executor: 'nx:run-commands',
          cache: true,
          inputs: ['{projectRoot}/src/**/*', '{projectRoot}/Cargo.toml', '{projectRoot}/Cargo.lock'],
          outputs: [`{projectRoot}/target/release/${bin}`],
          options: {
            cwd: '{projectRoot}',
            command: `cargo build --release --bin ${bin} --target-dir ${benchCargoTarget()} && mkdir -p target/release && cp ${join(benchCargoTarget(), 'release', bin)} target/release/${bin}`,
          },
        },
      },
    }),
  );

  const started = performance.now();
  const { file: binary } = await prepareRustBinary(log);
  await cargoFetch(workerDir); // the crates the seed's cold `cargo run` will need, in cargo's registry cache
  log(`  release build ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const releaseRoot = space.dir('seed-race-releases');
  const server = await startReleaseServer({ root: releaseRoot });
  const target = hostReleaseTarget();
  const tag = `${bin}/v${fixture.version}`;
  const release = { owner: 'bench', repo: 'workers', tag, bin, target };
  // As taiki-e/upload-rust-binary-action packs it: the binary alone at the archive root.
  const content = readFileSync(binary);
  const { bytes } = await publishReleaseArchive(releaseRoot, release, [{ path: bin, mode: 0o755, content }]);
  const releaseBaseUrl = server.releaseBaseUrl(release.owner, release.repo);

  // The first Nx run of a workspace creates .nx/workspace-data, and the first build fills the build cache.
  assertNxSucceeded(await runNx(root, ['run', `${builtProject}:build`]), `nx run ${builtProject}:build`);
  chmodSync(join(builtDir, 'target', 'release', bin), 0o755);
  return {
    root,
    fixture,
    workerDir,
    builtDir,
    releaseProject: bin,
    builtProject,
    tag,
    releaseBaseUrl,
    archiveUrl: `${releaseBaseUrl}/${tag}/${bin}-${target}.tar.gz`,
    binaryBytes: statSync(binary).size,
    archiveBytes: bytes,
    server,
    close: () => server.close(),
  };
}
