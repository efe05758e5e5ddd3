import { chmod, lstat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip, type Gunzip } from 'node:zlib';
import { type ReadEntry, Unpack } from 'tar';
import { fsFaultCause, fsFaultPath } from '../fs/fs-fault';
import { type ArchiveEntryInfo, type ArchiveLimits, ArchiveEntryRules, describeEntries, locateBinary } from './archive-entry-rules';
import { ReleaseAssetError } from './release-asset-error';

export interface ExtractedBinary {
  /** Path of the binary relative to the extraction folder (`skills` or `skills-x86_64-unknown-linux-gnu/skills`). */
  binaryRelativePath: string;
  entries: ArchiveEntryInfo[];
}

const entryInfo = (entry: ReadEntry): ArchiveEntryInfo => ({
  path: entry.path,
  type: entry.type,
  ...(entry.linkpath ? { linkpath: entry.linkpath } : {}),
  size: entry.size ?? 0,
});

/** zlib's default 16 KB output chunks cost a thread-pool round trip and a tar write each; 1 MiB halves the inflate time. */
const INFLATE_CHUNK_BYTES = 1 << 20;
const BATCHES_IN_FLIGHT = 4;

/** tar's names of entries that write a regular file. */
const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

/** gzip's own limit on a real archive is about 1032:1; anything above 1000:1 is a decompression bomb (tar's default too). */
const MAX_DECOMPRESSION_RATIO = 1000;

/**
 * One pass of a .tar.gz into `destDir` (an empty, private folder the caller discards on error), fed chunk by chunk
 * while the download arrives. Every entry is checked before it is written and the first unsafe
 * one stops the extraction, so a bomb is not decompressed to its end and nothing after the refusal is written.
 *
 * gunzip runs in Node's zlib (libuv's thread pool, 1 MiB output chunks) and feeds tar the plain archive: inflating
 * overlaps the download, the hashing and tar's writes instead of running in tar's in-thread 16 KB steps. An input
 * without the gzip magic is handed to tar as it is (tar detects the format itself).
 *
 * A refusal or a broken stream is kept, not thrown, until `result()`: while downloading, the bytes may still turn out
 * not to be the release's (a checksum mismatch), which is the error to report then. `source` (the asset URL) is only
 * used in messages.
 */
export class ArchiveExtraction {
  private readonly entries: ArchiveEntryInfo[] = [];
  private readonly rules: ArchiveEntryRules;
  private refused?: { entry: ArchiveEntryInfo; reason: string; overLimit: boolean };
  private broken?: Error;
  private readonly unpack: Unpack;
  /** Where written bytes go: gunzip (piped into tar) or tar itself; chosen by the first chunk. */
  private input?: Gunzip | Unpack;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private compressedBytes = 0;
  private inflatedBytes = 0;
  /** Resolves once tar has written everything (`close`) or given up (`error`). */
  private readonly settled: Promise<void>;

  constructor(
    readonly destDir: string,
    private readonly bin: string,
    private readonly source: string,
    limits: ArchiveLimits = {},
  ) {
    this.rules = new ArchiveEntryRules(limits);
    this.unpack = new Unpack({ cwd: destDir, strict: true, preserveOwner: false, filter: (_path, entry) => this.admit(entryInfo(entry as ReadEntry)) });
    this.settled = new Promise<void>((resolve) => {
      this.unpack.on('error', (error: Error) => {
        if (!this.refused) this.broken ??= error;
        resolve();
      });
      this.unpack.on('close', () => resolve());
    });
  }

  /** True once the extraction refused the archive or could not read it: later bytes are dropped. */
  get stopped(): boolean {
    return this.refused !== undefined || this.broken !== undefined;
  }

  /** Feeds the next bytes; the promise (when there is one) resolves when the extraction can take more. */
  write(chunk: Buffer): Promise<void> | undefined {
    if (this.stopped) return undefined;
    this.input ??= chunk[0] === 0x1f && chunk[1] === 0x8b ? this.startGunzip() : this.unpack;
    this.compressedBytes += chunk.length;
    // Network chunks are 16–64 KB: hand them on in 1 MiB batches, one thread-pool round trip and one tar write each.
    this.batch.push(chunk);
    this.batchBytes += chunk.length;
    if (this.batchBytes < INFLATE_CHUNK_BYTES) return undefined;
    return this.flushBatch();
  }

  /** No more bytes: waits until every entry is on disk. */
  async end(): Promise<void> {
    await this.flushBatch();
    if (!this.stopped) (this.input ?? this.unpack).end();
    await this.settled;
  }

  /** Stops at once (a failed attempt or a checksum mismatch) and waits for tar to let go of the folder. */
  async discard(): Promise<void> {
    if (!this.stopped) this.stop(new Error('discarded'));
    await this.settled;
  }

  /** After `end()`: the binary (at the root or in one top-level folder), made executable; or why the archive is refused. */
  async result(): Promise<ExtractedBinary> {
    if (this.refused?.overLimit) throw overLimit(this.source, this.refused.reason);
    if (this.refused) throw unsafeEntry(this.source, this.refused.entry, this.refused.reason);
    if (this.broken) throw fsFaultCause(this.broken) ? cannotWrite(this.source, this.destDir, this.broken) : unreadable(this.source, this.broken);
    await this.checkWrittenSizes();
    const located = locateBinary(this.entries, this.bin);
    if ('problem' in located) {
      throw new ReleaseAssetError(
        `${this.source} has ${located.problem}; ${describeEntries(this.entries)}. The archive must hold the worker binary "${this.bin}" ` +
          'at its root (or in a single top-level folder); check the worker\'s `bin` in iii.worker.yaml.',
        'binary-not-found',
        { url: this.source },
      );
    }
    const binaryPath = join(this.destDir, located.path);
    if (!(await lstat(binaryPath).catch(() => undefined))?.isFile()) {
      throw new ReleaseAssetError(`${this.source}: "${located.path}" was not extracted as a regular file.`, 'binary-not-found', { url: this.source });
    }
    await chmod(binaryPath, 0o755);
    return { binaryRelativePath: located.path, entries: this.entries };
  }

  /**
   * Every file must be on disk whole. With gunzip piped in, tar 7 can end without an error when a write fails on a
   * full disk: the file is just short. A short file is a disk fault, never a binary to cache and run.
   */
  private async checkWrittenSizes(): Promise<void> {
    for (const entry of this.entries) {
      if (!FILE_TYPES.has(entry.type) || entry.size === undefined) continue;
      const written = (await lstat(join(this.destDir, entry.path)).catch(() => undefined))?.size ?? 0;
      if (written === entry.size) continue;
      const full = await statfs(this.destDir).then(
        (stats) => stats.bavail === 0,
        () => false,
      );
      throw new ReleaseAssetError(
        `Could not extract ${this.source} into ${this.destDir}: ${full ? 'no space left on the device (ENOSPC); ' : ''}` +
          `"${entry.path}" was written with ${written} of its ${entry.size} bytes. Nothing from this archive was run or cached. ` +
          'Free space there, or set cacheDir to a folder with room, and run again.',
        'local-io',
        { url: this.source },
      );
    }
  }

  /** Hands the batch on; resolves when gunzip (or tar) can take more, allowing a few batches in flight. */
  private flushBatch(): Promise<void> | undefined {
    if (this.batchBytes === 0 || this.stopped) return undefined;
    const bytes = this.batch.length === 1 ? this.batch[0] : Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    const input = this.input!;
    // gunzip's 16 KB high-water mark would hold the download up at every batch: let a few batches wait for it instead.
    if (input.write(bytes) || (input !== this.unpack && (input as Gunzip).writableLength < BATCHES_IN_FLIGHT * INFLATE_CHUNK_BYTES)) return undefined;
    return new Promise<void>((resolve) => {
      input.once('drain', resolve);
      void this.settled.then(resolve);
    });
  }

  private startGunzip(): Gunzip {
    const gunzip = createGunzip({ chunkSize: INFLATE_CHUNK_BYTES });
    gunzip.on('error', (error: Error) => this.stop(error));
    gunzip.on('data', (chunk: Buffer) => {
      this.inflatedBytes += chunk.length;
      const ratio = this.inflatedBytes / this.compressedBytes;
      if (ratio > MAX_DECOMPRESSION_RATIO) this.stop(new Error(`max decompression ratio exceeded: ${ratio.toFixed(2)} > ${MAX_DECOMPRESSION_RATIO}`));
    });
    gunzip.pipe(this.unpack);
    return gunzip;
  }

  /** Ends both stages at once; the first reason wins (`broken` unless an entry was refused). */
  private stop(error: Error): void {
    if (!this.refused) this.broken ??= error;
    this.batch = [];
    this.batchBytes = 0;
    if (this.input && this.input !== this.unpack) {
      const gunzip = this.input as Gunzip;
      gunzip.unpipe(this.unpack);
      gunzip.destroy();
    }
    this.unpack.abort(error);
  }

  /** tar's filter: counts and checks each entry before it is written; the first refusal aborts the whole archive. */
  private admit(info: ArchiveEntryInfo): boolean {
    if (this.refused) return false;
    this.entries.push(info);
    const overLimit = this.rules.limitExceeded(info);
    const reason = overLimit ?? this.rules.refusal(info);
    if (!reason) return true;
    this.refused = { entry: info, reason, overLimit: overLimit !== undefined };
    this.stop(new Error(reason));
    return false;
  }
}

/** The archive was fine, the disk was not (full, read-only): say so, not "check how the release builds its archives". */
function cannotWrite(source: string, destDir: string, error: Error): ReleaseAssetError {
  const at = fsFaultPath(error) ?? destDir;
  return new ReleaseAssetError(
    `Could not extract ${source} into ${destDir}: ${fsFaultCause(error)} at ${at}. Nothing from this archive was run or ` +
      'cached. Free space there, or set cacheDir to a folder with room, and run again.',
    'local-io',
    { url: source },
  );
}

function unreadable(source: string, error: Error): ReleaseAssetError {
  return new ReleaseAssetError(
    `${source} is not a readable .tar.gz archive (${error.message}). Check how the release builds its archives.`,
    'bad-archive',
    { url: source },
  );
}

function unsafeEntry(source: string, entry: ArchiveEntryInfo, reason: string): ReleaseAssetError {
  const link = entry.linkpath ? ` -> ${entry.linkpath}` : '';
  return new ReleaseAssetError(
    `Refusing to extract ${source}: entry "${entry.path}${link}" is unsafe because ${reason}. Nothing from this archive was run. ` +
      'Rebuild the release archive with plain relative paths.',
    'unsafe-archive',
    { url: source },
  );
}

function overLimit(source: string, reason: string): ReleaseAssetError {
  return new ReleaseAssetError(
    `Refusing to extract ${source}: ${reason}. Extraction stopped there and nothing from this archive was run. ` +
      'If the release asset really is that large, raise the limit in the collect-interface options.',
    'archive-too-large',
    { url: source },
  );
}
