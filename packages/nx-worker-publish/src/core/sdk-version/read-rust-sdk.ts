import { join } from 'node:path';
import { findNearest, readIfFile } from './search-upwards';
import { lockedPackages } from './toml-packages';
import { versionOfRequirement, type WorkerSdk } from './worker-sdk';

const SDK_CRATE = 'iii-sdk';

/** `[package] name` of a Cargo.toml. */
const crateName = (cargoToml: string) => /^\[package\][^[]*?^name\s*=\s*"([^"]+)"/ms.exec(cargoToml)?.[1];

/** `iii-sdk = "=0.11.3"` or `iii-sdk = { version = "=0.26.0-rc.4", … }` in a Cargo.toml. */
const requirementIn = (cargoToml: string) =>
  /^iii-sdk\s*=\s*"([^"]+)"/m.exec(cargoToml)?.[1] ?? /^iii-sdk\s*=\s*\{[^}\n]*\bversion\s*=\s*"([^"]+)"/m.exec(cargoToml)?.[1];

/**
 * A Rust worker's iii-sdk: the version Cargo.lock resolved for the worker's own crate (a workspace lock may hold
 * several iii-sdk versions: the crate's `dependencies` entry then names one), else the Cargo.toml requirement.
 * Undefined when the folder has no Cargo.toml or nothing names iii-sdk.
 */
export function readRustSdk(folders: string[], label: (path: string) => string): WorkerSdk | undefined {
  const manifestPath = join(folders[0], 'Cargo.toml');
  const manifest = readIfFile(manifestPath);
  if (manifest === undefined) return undefined;
  const lock = findNearest(folders, 'Cargo.lock');
  if (lock) {
    const packages = lockedPackages(lock.text);
    const sdks = packages.filter((p) => p.name === SDK_CRATE);
    const own = packages.find((p) => p.name === crateName(manifest));
    const named = own?.dependencies.find((d) => d === SDK_CRATE || d.startsWith(`${SDK_CRATE} `));
    const version = named?.split(' ')[1] ?? (sdks.length === 1 && (named || !own) ? sdks[0].version : undefined);
    if (version) return { language: 'rust', version, source: label(lock.path) };
  }
  const requirement = requirementIn(manifest);
  const version = requirement && versionOfRequirement(requirement);
  return version ? { language: 'rust', version, source: label(manifestPath) } : undefined;
}
