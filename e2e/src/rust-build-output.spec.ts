// A real Rust worker (iii-sdk =0.11.3, tools/fixture-workers/workers/rust-sdk-0-11) collected from its build output:
// the project's Nx `build` target runs `cargo build`, and collect-interface depends on it. The crate compiles into the
// fixtures' shared target folder (built by `npm run fixtures`), so only the crate itself is compiled here.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_WORKERS_DIR, layFixtureWorker } from '../../tools/fixture-workers/src';
import { rustTargetDir } from '../../tools/fixture-workers/fixture-builds';
import { expectSuccess } from './support/expect-run';
import { interfaceFile } from './support/happy-workers';
import { taskCacheStatus } from './support/nx-output';
import { NxWorkspace } from './support/nx-workspace';

jest.setTimeout(15 * 60_000);

const WORKER = 'rust-sdk-0-11';
/** Its own package and bin name, so its binary never replaces the fixture's in the shared target folder. */
const BIN = 'rust-sdk-0-11-e2e';
let workspace: NxWorkspace;

beforeAll(() => {
  workspace = NxWorkspace.create({ label: 'rust-build', env: { CARGO_TARGET_DIR: rustTargetDir() } });
  const laid = layFixtureWorker(workspace.root, WORKER);
  const cargoToml = workspace
    .read(`${laid.projectRoot}/Cargo.toml`)
    .split(`"${WORKER}"`)
    .join(`"${BIN}"`);
  // Standalone now: the fixtures' workspace profile comes along, so the shared dependencies are reused as built.
  workspace.write(`${laid.projectRoot}/Cargo.toml`, `${cargoToml}\n[profile.dev]\ndebug = false\n`);
  copyFileSync(join(FIXTURE_WORKERS_DIR, '..', 'Cargo.lock'), join(laid.dir, 'Cargo.lock'));
  // Cargo prunes the other fixtures' entries from the copied lock on first use; do it now, before the commit, so the
  // build does not change an input of collection.
  execFileSync('cargo', ['metadata', '--format-version', '1', '--offline'], { cwd: laid.dir, stdio: 'ignore' });
  workspace.write(`${laid.projectRoot}/iii.worker.yaml`, workspace.read(`${laid.projectRoot}/iii.worker.yaml`).replace(`bin: ${WORKER}`, `bin: ${BIN}`));
  workspace.write(
    `${laid.projectRoot}/project.json`,
    JSON.stringify({
      name: WORKER,
      targets: {
        build: {
          // Copied to the default binaryPath, target/release/{bin}, since the target folder is shared and outside.
          command: `cargo build --bin ${BIN} && mkdir -p target/release && cp "$CARGO_TARGET_DIR/debug/${BIN}" target/release/`,
          options: { cwd: '{projectRoot}' },
          inputs: ['{projectRoot}/src/**/*', '{projectRoot}/Cargo.toml', '{projectRoot}/Cargo.lock'],
          outputs: ['{projectRoot}/target/release'],
          cache: true,
        },
      },
    }),
  );
  workspace.commitAll('a Rust worker with a cargo build target');
});

afterAll(() => workspace?.dispose());

test('the build target compiles the worker, and collection runs its build output to exactly the hand-written interface', async () => {
  const run = await workspace.nx(['run', `${WORKER}:collect-interface`], { timeoutMs: 14 * 60_000 });
  expectSuccess(run);
  expect(taskCacheStatus(run.output, `${WORKER}:build`)).toBe('ran');
  expect(run.output).toContain('launch plan: build-output');
  const expected = JSON.parse(readFileSync(join(FIXTURE_WORKERS_DIR, WORKER, 'expected-interface.json'), 'utf8'));
  expect(workspace.readJson(interfaceFile(WORKER))).toEqual({ collected_from: { launch: 'build-output', forced: false }, ...expected });

  const again = await workspace.nx(['run', `${WORKER}:collect-interface`]);
  expectSuccess(again);
  expect(taskCacheStatus(again.output, `${WORKER}:collect-interface`)).toMatch(/cache/);
});
