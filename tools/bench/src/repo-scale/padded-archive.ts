import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';

const BLOCK = 512;
const PADDING_CHUNK = 1 << 20;

let paddingMember: { raw: Buffer; gz: Buffer } | undefined;
/**
 * One 1 MiB random block and its gzip member (level 1), made once: every archive's padding is this member
 * repeated. A .tar.gz may hold several gzip members back to back (gunzip, GNU tar and Node's zlib read them all),
 * so 1.7 GB of incompressible release assets are written at disk speed instead of being compressed. The random
 * block is larger than deflate's 32 KiB window, so the padding stays incompressible for the extracting side.
 */
function padding(): { raw: Buffer; gz: Buffer } {
  if (!paddingMember) {
    const raw = randomBytes(PADDING_CHUNK);
    paddingMember = { raw, gz: gzipSync(raw, { level: 1 }) };
  }
  return paddingMember;
}

/** A file's content (block-padded) as its own gzip member, compressed once per Buffer: 52 workers ship one binary. */
const contentMembers = new WeakMap<Buffer, Buffer>();
function contentMember(content: Buffer): Buffer {
  let member = contentMembers.get(content);
  if (!member) {
    member = gzipSync(Buffer.concat([content, blockPad(content.length)]), { level: 6 });
    contentMembers.set(content, member);
  }
  return member;
}

const header = (path: string, size: number, mode: number) => {
  const block = Buffer.alloc(BLOCK);
  new Header({ path, type: 'File', size, mode, mtime: new Date(0), uid: 0, gid: 0 }).encode(block, 0);
  return block;
};
const blockPad = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

export interface ArchiveFile {
  path: string;
  mode: number;
  content: Buffer;
}

/**
 * Writes `file`: a .tar.gz holding `files` and then `padding.bin` of `paddingBytes` incompressible bytes. Returns its
 * size and sha256 (for the `.sha256` asset).
 */
export async function writePaddedArchive(file: string, files: ArchiveFile[], paddingBytes: number): Promise<{ bytes: number; sha256: string }> {
  mkdirSync(dirname(file), { recursive: true });
  const out = createWriteStream(file);
  const hash = createHash('sha256');
  let bytes = 0;
  const write = async (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  for (const f of files) {
    await write(gzipSync(header(f.path, f.content.length, f.mode), { level: 1 }));
    await write(contentMember(f.content));
  }
  await write(gzipSync(header('padding.bin', paddingBytes, 0o644), { level: 1 }));
  const { raw, gz } = padding();
  for (let left = paddingBytes; left >= PADDING_CHUNK; left -= PADDING_CHUNK) await write(gz);
  const rest = paddingBytes % PADDING_CHUNK;
  await write(gzipSync(Buffer.concat([raw.subarray(0, rest), blockPad(rest), Buffer.alloc(2 * BLOCK)]), { level: 1 }));
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { bytes, sha256: hash.digest('hex') };
}
