import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header, create } from 'tar';

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** A file to put in a well-formed archive: text/bytes, or with an explicit mode (e.g. 0o755). */
export type TarFileSpec = string | Buffer | { content: string | Buffer; mode?: number };

/**
 * A real .tar.gz made by tar's own `create` (gzip) from files written to a temporary folder.
 * Keys are archive paths (`skills` or `skills-x86_64-unknown-linux-gnu/skills`); folders are implied.
 */
export async function makeTarGz(files: Record<string, TarFileSpec>): Promise<Buffer> {
  const work = await mkdtemp(join(tmpdir(), 'tarball-'));
  try {
    const root = join(work, 'root');
    await mkdir(root);
    for (const [path, spec] of Object.entries(files)) {
      const { content, mode } = typeof spec === 'string' || Buffer.isBuffer(spec) ? { content: spec, mode: 0o644 } : spec;
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content, { mode: mode ?? 0o644 });
    }
    const out = join(work, 'archive.tar.gz');
    await create({ gzip: true, file: out, cwd: root, portable: true }, Object.keys(files));
    return await readFile(out);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export type RawEntryType = 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'FIFO' | 'CharacterDevice' | 'BlockDevice';

export interface RawTarEntry {
  /** Written into the header verbatim: may be absolute or hold `..` (that is the point). */
  path: string;
  type?: RawEntryType;
  content?: string | Buffer;
  linkpath?: string;
  mode?: number;
}

/**
 * A .tar.gz whose headers are written by hand with tar's `Header`, so it can hold what `create` refuses
 * to produce: `../escape`, `/etc/passwd`, symlinks pointing out, device files.
 */
export function makeRawTarGz(entries: RawTarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const type = entry.type ?? 'File';
    const content = Buffer.from(entry.content ?? '');
    const size = type === 'File' ? content.length : 0;
    const header = new Header({
      path: entry.path,
      type,
      size,
      mode: entry.mode ?? (type === 'Directory' ? 0o755 : 0o644),
      linkpath: entry.linkpath,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
    });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block);
    if (size > 0) {
      blocks.push(content, Buffer.alloc((512 - (size % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** A "worker binary" that is a shell script leaving `markerFile` behind when run, to prove it never ran. */
export function markerScript(markerFile: string): string {
  return `#!/bin/sh\necho ran > '${markerFile.replace(/'/g, `'\\''`)}'\n`;
}
