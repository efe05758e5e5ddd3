import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProcesses } from '../../../../../tools/fixture-workers/src';
import { collectFixture, expectedInterface } from './test-support/collect-fixture';
import { removeTemps, tempDir } from '../../test-support/temp-dirs';

// cargo-run on a cold cache (issue 25 §1): `cargo build` is a step of its own before the engine starts, so
// waitSeconds never covers the compile; a compile failure is cargo's own first error. Every test compiles into a
// fresh CARGO_TARGET_DIR (cargo reads it from the environment the plugin passes on).

afterAll(removeTemps);

let savedTargetDir: string | undefined;
beforeEach(() => (savedTargetDir = process.env.CARGO_TARGET_DIR));
afterEach(() => {
  if (savedTargetDir === undefined) delete process.env.CARGO_TARGET_DIR;
  else process.env.CARGO_TARGET_DIR = savedTargetDir;
});
const coldTargetDir = () => (process.env.CARGO_TARGET_DIR = tempDir('cold-cargo-target'));

/** A worker crate with no dependencies, laid into a fresh folder. */
function layCrate(name: string, files: Record<string, string>): string {
  const root = tempDir(`crate-${name}`);
  const dir = join(root, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'Cargo.toml'), `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n`);
  writeFileSync(join(dir, 'iii.worker.yaml'), `iii: v1\nname: ${name}\nlanguage: rust\ndeploy: binary\nmanifest: Cargo.toml\nbin: ${name}\n`);
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return root;
}

test('compiles the pinned-SDK worker on a cold target folder as its own step, then collects it exactly (default options)', async () => {
  const targetDir = coldTargetDir();
  // rust-sdk-0-11 has no build output at target/release and no start script: auto ends at cargo-run.
  const { iface, log, live, result } = await collectFixture({ projectRoot: 'rust-sdk-0-11' });
  expect(iface).toEqual(expectedInterface('rust-sdk-0-11'));
  expect(log).toContain('launch plan: cargo-run');
  expect(log).toContain('cargo build --bin rust-sdk-0-11 --profile dev --message-format=json');
  expect(log).not.toContain('--locked');
  const compiled = log.indexOf('✔ compiled rust-sdk-0-11 (dev profile, ');
  expect(compiled).toBeGreaterThan(-1);
  // The compile is over before the engine starts, so the wait for registration starts with the binary.
  expect(compiled).toBeLessThan(log.indexOf('✔ engine ready'));
  // Shown while it runs, also where a batched task's output appears only at its end; a cold compile of ~190 crates
  // takes well over the 10 s between progress lines.
  expect(live).toContain('… compiling rust-sdk-0-11 with cargo');
  expect(live).toMatch(/… compiling rust-sdk-0-11: \d+ crates built \(last: [\w-]+\), \d+\.\d s/);
  expect(result.timings.compile).toBeGreaterThan(0);
  expect(result.plan.command).toBe(join(targetDir, 'debug', 'rust-sdk-0-11'));
  // Run exactly as build-output runs it: --url, then the folder's config handling, from the worker folder.
  expect(result.plan.args).toEqual(['--url', '{engineUrl}']);
}, 30 * 60_000);

test('a compile slower than the progress interval: its progress is shown while it runs, and the worker step that follows does not claim to compile', async () => {
  coldTargetDir();
  // The build script outlasts the 10 s between progress lines; the binary then exits without registering.
  const root = layCrate('slow-progress', {
    'build.rs': 'fn main() { std::thread::sleep(std::time::Duration::from_secs(12)); }\n',
    'src/main.rs': 'fn main() {}\n',
  });
  const error = await collectFixture({ workspaceRoot: root, projectRoot: 'slow-progress' }).catch((e: Error) => e);
  const message = (error as Error).message;
  expect(message).toContain('✔ compiled slow-progress');
  const live = message.slice(message.indexOf('--- shown while it ran ---'));
  const progress = live.search(/… compiling slow-progress: \d+ crates built.*, \d+\.\d s/);
  expect(progress).toBeGreaterThan(live.indexOf('… compiling slow-progress with cargo'));
  expect(live.indexOf('… starting the worker, waiting for it to register and settle')).toBeGreaterThan(progress);
  expect(live).not.toMatch(/then waiting/);
}, 10 * 60_000);

test('a crate that does not compile fails the task with cargo\'s first error and the crate it names', async () => {
  coldTargetDir();
  const root = layCrate('broken-worker', { 'src/main.rs': 'fn main() {\n    let port: u16 = "49134";\n    println!("{port}");\n}\n' });
  const error = await collectFixture({ workspaceRoot: root, projectRoot: 'broken-worker' }).catch((e: Error) => e);
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).toMatch(/cargo build of broken-worker failed in crate broken-worker/);
  expect(message).toContain('error[E0308]: mismatched types');
  expect(message).toContain('src/main.rs:2');
  expect(message).not.toMatch(/did not register/);
  expect(message).not.toContain('engine ready');
}, 10 * 60_000);

test('compileSeconds bounds the compile: the task fails naming the option, and no cargo process is left', async () => {
  const targetDir = coldTargetDir();
  const root = layCrate('slow-worker', {
    'build.rs': 'fn main() { std::thread::sleep(std::time::Duration::from_secs(600)); }\n',
    'src/main.rs': 'fn main() {}\n',
  });
  const error = await collectFixture({ workspaceRoot: root, projectRoot: 'slow-worker', launch: { compile: { timeoutMs: 5000 } } }).catch((e: Error) => e);
  expect((error as Error).message).toMatch(/cargo build of slow-worker did not finish within 5\.0 s \(compileSeconds\) and was stopped/);
  // cargo, rustc and the build script all carry the target folder (or the crate folder) on their command line.
  const left = findProcesses(({ argv }) => argv.some((arg) => arg.includes(targetDir) || arg.includes(root)));
  expect(left).toEqual([]);
}, 10 * 60_000);
