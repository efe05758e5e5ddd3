import { createReadStream } from 'node:fs';
import { chmod, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { type ReadEntry, Unpack } from 'tar';
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

/** tar reads files in 16 MB chunks by default; 1 MB keeps a 200 MB asset's extraction well under 150 MB of memory. */
const READ_CHUNK_BYTES = 1 << 20;

/**
 * One pass of a .tar.gz into `destDir` (an empty, private folder the caller discards on error), fed chunk by chunk:
 * from a file, or from a download while it arrives. Every entry is checked before it is written and the first unsafe
 * one stops the extraction, so a bomb is not decompressed to its end and nothing after the refusal is written.
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

  /** Feeds the next bytes; the promise (when there is one) resolves when tar can take more. */
  write(chunk: Buffer): Promise<void> | undefined {
    if (this.stopped || this.unpack.write(chunk)) return undefined;
    return new Promise<void>((resolve) => {
      this.unpack.once('drain', resolve);
      void this.settled.then(resolve);
    });
  }

  /** No more bytes: waits until every entry is on disk. */
  async end(): Promise<void> {
    if (!this.stopped) this.unpack.end();
    await this.settled;
  }

  /** Stops at once (a failed attempt or a checksum mismatch) and waits for tar to let go of the folder. */
  async discard(): Promise<void> {
    if (!this.stopped) this.unpack.abort(new Error('discarded'));
    await this.settled;
  }

  /** After `end()`: the binary (at the root or in one top-level folder), made executable; or why the archive is refused. */
  async result(): Promise<ExtractedBinary> {
    if (this.refused?.overLimit) throw overLimit(this.source, this.refused.reason);
    if (this.refused) throw unsafeEntry(this.source, this.refused.entry, this.refused.reason);
    if (this.broken) throw unreadable(this.source, this.broken);
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

  /** tar's filter: counts and checks each entry before it is written; the first refusal aborts the whole archive. */
  private admit(info: ArchiveEntryInfo): boolean {
    if (this.refused) return false;
    this.entries.push(info);
    const overLimit = this.rules.limitExceeded(info);
    const reason = overLimit ?? this.rules.refusal(info);
    if (!reason) return true;
    this.refused = { entry: info, reason, overLimit: overLimit !== undefined };
    this.unpack.abort(new Error(reason));
    return false;
  }
}

/** Extracts an archive already on disk (a verified one from the download cache), in 1 MiB reads. */
export async function extractTarGz(file: string, destDir: string, bin: string, source: string, limits: ArchiveLimits = {}): Promise<ExtractedBinary> {
  const extraction = new ArchiveExtraction(destDir, bin, source, limits);
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: READ_CHUNK_BYTES })) {
      await extraction.write(chunk as Buffer);
      if (extraction.stopped) break;
    }
  } catch (error) {
    await extraction.discard();
    throw unreadable(source, error as Error);
  }
  await extraction.end();
  return extraction.result();
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
