import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Header } from 'tar';
import { releaseAssetFile } from '../../../release-server/src';

export interface TarEntry {
  path: string;
  mode: number;
  /** Literal content, or a number of random (incompressible) bytes generated while streaming. */
  content: Buffer | { randomBytes: number };
}

export interface Release {
  owner: string;
  repo: string;
  tag: string;
  bin: string;
  target: string;
}

const BLOCK = 512;
const CHUNK = 1024 * 1024;

function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  new Header({ path: entry.path, type: 'File', size, mode: entry.mode, mtime: new Date(0), uid: 0, gid: 0 }).encode(block, 0);
  return block;
}

/** The tar stream, generated on the fly so a 200 MB archive never sits in memory. */
async function* tarBlocks(entries: TarEntry[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    const size = Buffer.isBuffer(entry.content) ? entry.content.length : entry.content.randomBytes;
    yield header(entry, size);
    if (Buffer.isBuffer(entry.content)) yield entry.content;
    else for (let left = size; left > 0; left -= CHUNK) yield randomBytes(Math.min(CHUNK, left));
    if (size % BLOCK) yield Buffer.alloc(BLOCK - (size % BLOCK));
  }
  yield Buffer.alloc(2 * BLOCK);
}

/**
 * Publishes `{bin}-{target}.tar.gz` (gzip level 1: random bytes do not compress anyway) and its `.sha256`
 * (`sha256sum` format) into the folder a tools/release-server serves. Returns the archive's size in bytes.
 */
export async function publishReleaseArchive(root: string, release: Release, entries: TarEntry[]): Promise<{ bytes: number; sha256: string }> {
  const archiveName = `${release.bin}-${release.target}.tar.gz`;
  const archiveFile = releaseAssetFile(root, release, archiveName);
  mkdirSync(dirname(archiveFile), { recursive: true });
  const hash = createHash('sha256');
  let bytes = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  await pipeline(Readable.from(tarBlocks(entries)), createGzip({ level: 1 }), hashing, createWriteStream(archiveFile));
  const sha256 = hash.digest('hex');
  writeFileSync(releaseAssetFile(root, release, `${release.bin}-${release.target}.sha256`), `${sha256}  ${archiveName}\n`);
  return { bytes, sha256 };
}
