import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { create } from 'tar';

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** One file at the archive root: its name, bytes and mode. */
export interface ArchiveFile {
  name: string;
  content: Buffer | string;
  mode?: number;
}

/** A real .tar.gz written by tar's own `create`, with the files at the archive root (as taiki-e's action lays them out). */
export async function makeTarGz(files: ArchiveFile[]): Promise<Buffer> {
  const work = await mkdtemp(join(tmpdir(), 'fixture-tarball-'));
  try {
    const root = join(work, 'root');
    await writeFiles(root, files);
    const out = join(work, 'archive.tar.gz');
    await create({ gzip: true, file: out, cwd: root, portable: true }, files.map((file) => file.name));
    return await readFile(out);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function writeFiles(root: string, files: ArchiveFile[]): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const file of files) {
    if (file.name.includes('/')) throw new Error(`archive files sit at the root; "${file.name}" has a folder`);
    await writeFile(join(root, file.name), file.content);
    await chmod(join(root, file.name), file.mode ?? 0o644);
  }
}

/**
 * A .zip with stored (uncompressed) entries, as Windows release assets are zips. Only ever checksummed by the tests,
 * never run, but well-formed so that any tool opening it would succeed.
 */
export function makeZip(files: ArchiveFile[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const data = Buffer.from(file.content);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: unix
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((((file.mode ?? 0o644) | 0o100000) << 16) >>> 0, 38); // unix mode, regular file
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}
