/**
 * The real Rust fixture worker of tools/fixture-workers (a crate on the `iii-sdk` line the workers repository pins),
 * copied into a folder as a worker of its own (with the fixture workspace's Cargo.lock, so the same crate versions
 * build), and its release build, made once from `dist/bench/rust-fixture/<crate>` into `dist/bench/cargo-target` and
 * reused by later bench runs.
 */
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../lib/paths';
import { runCommand } from '../lib/run-command';

/** The SDK line the workers repository pins (spec publish-pipeline; issue 21). */
const PINNED_SDK = /^\s*iii-sdk\s*=\s*(?:\{[^}]*version\s*=\s*)?"=?0\.11\./m;

export interface RustFixture {
  /** The crate folder in the repository. */
  sourceDir: string;
  /** The cargo workspace root holding Cargo.lock. */
  workspaceDir: string;
  crate: string;
  bin: string;
  version: string;
  /** The iii-sdk version Cargo.lock resolves. */
  sdkVersion: string;
}

const fixturesRoot = () => join(repositoryRoot(), 'tools', 'fixture-workers');
const tomlValue = (text: string, key: string) => new RegExp(`^\\s*${key}\\s*=\\s*"([^"]+)"`, 'm').exec(text)?.[1];

/** Finds the fixture crate that pins iii-sdk 0.11.x; fails with what to do when the fixtures are not there. */
export function findPinnedRustFixture(): RustFixture {
  const workspaceDir = fixturesRoot();
  const lockFile = join(workspaceDir, 'Cargo.lock');
  const workersDir = join(workspaceDir, 'workers');
  const crates = existsSync(workersDir) ? readdirSync(workersDir).map((name) => join(workersDir, name)).filter((dir) => existsSync(join(dir, 'Cargo.toml'))) : [];
  const sourceDir = crates.find((dir) => PINNED_SDK.test(readFileSync(join(dir, 'Cargo.toml'), 'utf8')));
  if (!sourceDir || !existsSync(lockFile)) {
    throw new Error(`bench: seed_race needs the Rust fixture worker on iii-sdk 0.11.x under ${workersDir} with ${lockFile} (see tools/fixture-workers/README.md)`);
  }
  const manifest = readFileSync(join(sourceDir, 'Cargo.toml'), 'utf8');
  const crate = tomlValue(manifest, 'name')!;
  const binSection = manifest.slice(manifest.indexOf('[[bin]]'));
  const bin = (manifest.includes('[[bin]]') ? tomlValue(binSection, 'name') : undefined) ?? crate;
  const sdkVersion = pinnedLockedSdk(lockFile);
  if (!sdkVersion) throw new Error(`bench: ${lockFile} resolves no iii-sdk 0.11.x`);
  return { sourceDir, workspaceDir, crate, bin, version: tomlValue(manifest, 'version') ?? '0.0.0', sdkVersion };
}

/** Cargo.lock may hold several iii-sdk versions (one per fixture crate): the 0.11.x one is ours. */
function pinnedLockedSdk(lockFile: string): string | undefined {
  const versions = [...readFileSync(lockFile, 'utf8').matchAll(/\[\[package\]\]\s*\nname = "iii-sdk"\s*\nversion = "([^"]+)"/g)].map((m) => m[1]);
  return versions.find((v) => v.startsWith('0.11.'));
}

/**
 * Copies the crate to `dir` as a worker folder of its own: sources, config, Cargo.lock, an iii.worker.yaml
 * (`deploy: binary`) when the fixture has none. No `target/`.
 */
export function layRustWorker(fixture: RustFixture, dir: string): void {
  // Timestamps kept, so cargo does not rebuild a copy it built before (the bench's build folder is reused).
  cpSync(fixture.sourceDir, dir, { recursive: true, preserveTimestamps: true, filter: (path) => !path.split('/').includes('target') });
  copyFileSync(join(fixture.workspaceDir, 'Cargo.lock'), join(dir, 'Cargo.lock'));
  // Outside the fixture workspace the crate is a workspace of its own, like every worker of the workers repository
  // (cargo prunes the other fixtures from the copied Cargo.lock and keeps every version it pins).
  const manifest = join(dir, 'Cargo.toml');
  const text = readFileSync(manifest, 'utf8');
  if (!/^\[workspace\]/m.test(text)) {
    const { atime, mtime } = statSync(manifest);
    writeFileSync(manifest, `${text.trimEnd()}\n\n[workspace]\n`);
    utimesSync(manifest, atime, mtime);
  }
  if (!existsSync(join(dir, 'iii.worker.yaml'))) {
    writeFileSync(
      join(dir, 'iii.worker.yaml'),
      `iii: v1\nname: ${fixture.bin}\nlanguage: rust\ndeploy: binary\nmanifest: Cargo.toml\nbin: ${fixture.bin}\ndescription: Rust fixture worker on iii-sdk ${fixture.sdkVersion}\n`,
    );
  }
}

/** The persistent target folder of the bench's release builds (dependencies compile once per machine). */
export const benchCargoTarget = () => join(repositoryRoot(), 'dist', 'bench', 'cargo-target');

/** Puts every crate the worker needs into cargo's registry cache (the "warm registry" of a CI runner). */
export const cargoFetch = (workerDir: string) => runCommand('cargo', ['fetch'], workerDir);

/** `cargo build --release` of the worker folder into the shared target; returns the binary. */
export async function buildRelease(fixture: RustFixture, workerDir: string): Promise<string> {
  await runCommand('cargo', ['build', '--release', '--bin', fixture.bin, '--target-dir', benchCargoTarget()], workerDir);
  return join(benchCargoTarget(), 'release', fixture.bin);
}

export interface InterfaceNames {
  functions: string[];
  triggers: string[];
}

/** Sorted function and trigger-type names of an interface file (`{functions: [{name}], triggers: [{name}]}`). */
export function interfaceNames(file: string): InterfaceNames {
  const { functions, triggers } = JSON.parse(readFileSync(file, 'utf8')) as { functions: Array<{ name: string }>; triggers: Array<{ name: string }> };
  return { functions: functions.map((f) => f.name).sort(), triggers: triggers.map((t) => t.name).sort() };
}

/** The fixture's hand-written `expected-interface.json`, when it has one. */
export function expectedInterfaceNames(fixture: RustFixture): InterfaceNames | undefined {
  const file = join(fixture.sourceDir, 'expected-interface.json');
  return existsSync(file) ? interfaceNames(file) : undefined;
}

/**
 * The pinned fixture's release binary (one build for every worker that ships it) and the files it reads from its
 * folder. Built from a copy in `dist/bench/rust-fixture/<crate>`, a fixed path, so a later bench run reuses it.
 */
export async function prepareRustBinary(log: (line: string) => void): Promise<{ fixture: RustFixture; file: string; workerFiles: Array<{ path: string; content: Buffer }> }> {
  const fixture = findPinnedRustFixture();
  const dir = join(repositoryRoot(), 'dist', 'bench', 'rust-fixture', fixture.crate);
  layRustWorker(fixture, dir);
  log(`  ${fixture.crate} ${fixture.version} (iii-sdk ${fixture.sdkVersion}): release build (once; kept in ${benchCargoTarget()})`);
  await cargoFetch(dir);
  const file = await buildRelease(fixture, dir);
  const workerFiles = ['config.yaml'].filter((path) => existsSync(join(dir, path))).map((path) => ({ path, content: readFileSync(join(dir, path)) }));
  return { fixture, file, workerFiles };
}
