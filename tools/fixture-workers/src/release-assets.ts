import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTarGz, makeZip, sha256Hex } from './archives';
import { FIXTURE_WORKERS, FIXTURE_WORKERS_DIR, type BinaryFixtureName } from './fixture-catalog';

/** The 9 targets a `deploy: binary` release uploads (written out here, independently of the plugin's own list). */
export const RELEASE_TARGETS = [
  'x86_64-apple-darwin',
  'aarch64-apple-darwin',
  'x86_64-pc-windows-msvc',
  'i686-pc-windows-msvc',
  'aarch64-pc-windows-msvc',
  'x86_64-unknown-linux-gnu',
  'aarch64-unknown-linux-gnu',
  'armv7-unknown-linux-gnueabihf',
  'x86_64-unknown-linux-musl',
] as const;

/**
 * The executable a binary fixture ships: its Node script (`#!/usr/bin/env node`), with the greeting baked in the way
 * built-greeter's build.js does it.
 */
export function fixtureBinary(name: BinaryFixtureName, options: { greeting?: string } = {}): Buffer {
  const source = readFileSync(join(FIXTURE_WORKERS_DIR, name, FIXTURE_WORKERS[name].binarySource), 'utf8');
  const greeting = JSON.stringify(options.greeting ?? 'Hello').slice(1, -1);
  return Buffer.from(source.split('__GREETING__').join(greeting));
}

export interface ReleaseAsset {
  /** File name on the release, e.g. `skills-x86_64-unknown-linux-gnu.tar.gz` or `.sha256`. */
  name: string;
  body: Buffer;
}

export interface ReleaseAssetSet {
  assets: ReleaseAsset[];
  /** The real sha256 of each target's archive (what a correct `binaries` map holds). */
  sha256ByTarget: Record<string, string>;
  /** Archive file name per target. */
  archiveByTarget: Record<string, string>;
}

export interface MakeReleaseAssetsOptions {
  bin: string;
  /** The executable put at the archive root as `<bin>` (`<bin>.exe` in Windows zips). */
  binary: Buffer;
  targets?: readonly string[];
  /** Per target, a checksum to write into `.sha256` instead of the archive's real one (a corrupted release). */
  wrongChecksums?: Record<string, string>;
  /** Targets whose archive is left out while their `.sha256` is kept (an incomplete upload). */
  withoutArchive?: readonly string[];
}

/**
 * The assets of one release the way the release workflow uploads them (spec publish-pipeline §3): per target
 * `<bin>-<target>.tar.gz` (`.zip` on Windows) with the binary at the root, and `<bin>-<target>.sha256` holding
 * `sha256sum` output.
 */
export async function makeReleaseAssets(options: MakeReleaseAssetsOptions): Promise<ReleaseAssetSet> {
  const tarball = await makeTarGz([{ name: options.bin, content: options.binary, mode: 0o755 }]);
  const zip = makeZip([{ name: `${options.bin}.exe`, content: options.binary, mode: 0o755 }]);
  const set: ReleaseAssetSet = { assets: [], sha256ByTarget: {}, archiveByTarget: {} };
  for (const target of options.targets ?? RELEASE_TARGETS) {
    const windows = target.includes('-windows-');
    const archive = windows ? zip : tarball;
    const archiveName = `${options.bin}-${target}.${windows ? 'zip' : 'tar.gz'}`;
    const sha256 = sha256Hex(archive);
    set.sha256ByTarget[target] = sha256;
    set.archiveByTarget[target] = archiveName;
    if (!options.withoutArchive?.includes(target)) set.assets.push({ name: archiveName, body: archive });
    const written = options.wrongChecksums?.[target] ?? sha256;
    set.assets.push({ name: `${options.bin}-${target}.sha256`, body: Buffer.from(`${written}  ${archiveName}\n`) });
  }
  return set;
}
