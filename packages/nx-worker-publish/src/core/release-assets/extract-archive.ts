import { createReadStream } from 'node:fs';
import { chmod, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip, type Gunzip, type ZlibOptions } from 'node:zlib';
import { type ReadEntry, Unpack } from 'tar';
import { type ArchiveEntryInfo, ArchiveEntryRules, describeEntries, locateBinary } from './archive-entry-rules';
import { ReleaseAssetError } from './release-asset-error';

export interface ExtractedBinary {
  /** Path of the binary relative to the extraction folder (`skills` or `skills-x86_64-unknown-linux-gnu/skills`). */
  binaryRelativePath: string;
  entries: ArchiveEntryInfo[];
}

/**
 * A .tar.gz extraction fed chunk by chunk (from a download while it arrives, or from a file). `write` waits while
 * tar is busy writing, so memory stays bounded; it never rejects: a failure is kept and reported by `finish`, and
 * later chunks are dropped (the download must still run to its end, to tell a bad archive from a bad checksum).
 */
export interface StreamingExtraction {
  write(chunk: Buffer): Promise<void>;
  /** No more bytes. */
  end(): void;
  /** Resolves once every entry is on disk and the binary was found and made executable; rejects with the reason otherwise. */
  finish(): Promise<ExtractedBinary>;
  /** Stops a run that will not be used (failed attempt, bad checksum); tar writes nothing new after it. */
  abandon(): Promise<void>;
}

const entryInfo = (entry: ReadEntry): ArchiveEntryInfo => ({
  path: entry.path,
  type: entry.type,
  ...(entry.linkpath ? { linkpath: entry.linkpath } : {}),
});

/** tar reads files in 16 MB chunks by default; 1 MB keeps a 200 MB asset's extraction well under 150 MB of memory. */
const READ_CHUNK_BYTES = 1 << 20;

/** tar's own guard against archive bombs, kept now that the plugin gunzips before tar (see below). */
const MAX_DECOMPRESSION_RATIO = 1000;
/**
 * Gunzip output chunk. tar's built-in gunzip emits 16 KB chunks, each one file write queued behind the last; 1 MB
 * chunks make ~60× fewer writes and Node's zlib runs on the thread pool, beside the hashing on the main thread.
 */
const GUNZIP_CHUNK_BYTES = 1 << 20;
const GZIP_MAGIC = [0x1f, 0x8b];
/** Compressed bytes that may wait for the thread pool, so the next chunk is hashed while this one is gunzipped. */
const GUNZIP_INPUT_BUFFER_BYTES = 4 << 20;

/**
 * Extracts a .tar.gz into `destDir` (an empty, private folder the caller discards on error) in one pass: every entry
 * is checked before it is written and the first unsafe one refuses the whole archive, so nothing from it is run.
 * Then finds `{bin}` (at the root or in one top-level folder) and makes it executable. `source` (the asset URL) is
 * only used in messages.
 */
export function startExtraction(destDir: string, bin: string, source: string): StreamingExtraction {
  const entries: ArchiveEntryInfo[] = [];
  const rules = new ArchiveEntryRules();
  let refused: { entry: ArchiveEntryInfo; reason: string } | undefined;
  let failure: Error | undefined;
  let ended = false;
  const unpack = new Unpack({
    cwd: destDir,
    strict: true,
    preserveOwner: false,
    filter: (_path, entry) => {
      const info = entryInfo(entry as ReadEntry);
      entries.push(info);
      const reason = refused ? undefined : rules.refusal(info);
      if (reason) refused = { entry: info, reason };
      return !refused;
    },
  });
  // 'close' comes after the last pending file write.
  const closed = new Promise<void>((resolve) => unpack.once('close', () => resolve()));
  let signalStop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (signalStop = resolve));
  void closed.then(signalStop);
  const fail = (error: Error) => {
    failure ??= error;
    signalStop();
    gunzip?.destroy();
    unpack.abort(error);
  };
  unpack.on('error', (error: Error) => fail(error));
  // After an error or an abort tar emits no 'close' and writes nothing new; let callbacks already under way land,
  // and the caller removes the folder with retries.
  const settled = () => new Promise<void>((resolve) => setImmediate(resolve));
  const intoTar = async (chunk: Buffer) => {
    if (!failure && !unpack.write(chunk)) await Promise.race([new Promise<void>((resolve) => unpack.once('drain', () => resolve())), stopped]);
  };

  let gunzip: Gunzip | undefined;
  let decided = false;
  let compressedBytes = 0;
  let decompressedBytes = 0;
  const pumped = { done: Promise.resolve() };
  const startGunzip = () => {
    // zlib passes stream options on to its Transform; ZlibOptions does not declare them.
    const stream = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES, writableHighWaterMark: GUNZIP_INPUT_BUFFER_BYTES } as ZlibOptions);
    gunzip = stream;
    pumped.done = (async () => {
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          decompressedBytes += chunk.length;
          if (decompressedBytes > MAX_DECOMPRESSION_RATIO * compressedBytes) {
            throw new Error(`max decompression ratio exceeded: ${(decompressedBytes / compressedBytes).toFixed(2)} > ${MAX_DECOMPRESSION_RATIO}`);
          }
          await intoTar(chunk);
          if (failure) return;
        }
        unpack.end();
      } catch (error) {
        fail(error as Error);
      }
    })();
  };

  return {
    async write(chunk) {
      if (failure || ended) return;
      if (!decided) {
        decided = true;
        // A plain .tar goes straight to tar, which tells a tar from garbage.
        if (GZIP_MAGIC.every((byte, i) => chunk[i] === byte)) startGunzip();
      }
      if (!gunzip) return intoTar(chunk);
      compressedBytes += chunk.length;
      if (!gunzip.write(chunk)) await Promise.race([new Promise<void>((resolve) => gunzip!.once('drain', () => resolve())), stopped]);
    },
    end() {
      if (ended) return;
      ended = true;
      if (gunzip) gunzip.end();
      else unpack.end();
    },
    async finish() {
      await stopped;
      await pumped.done;
      if (failure) {
        await settled();
        throw new ReleaseAssetError(
          `${source} is not a readable .tar.gz archive (${failure.message}). Check how the release builds its archives.`,
          'bad-archive',
          { url: source },
        );
      }
      if (refused) throw unsafeEntry(source, refused.entry, refused.reason);
      return locateAndMarkExecutable(entries, destDir, bin, source);
    },
    async abandon() {
      ended = true;
      if (!failure) fail(new Error('abandoned'));
      await pumped.done;
      await settled();
    },
  };
}

/** The same checked extraction, fed from an archive already on disk (a verified archive in the cache). */
export async function extractTarGz(file: string, destDir: string, bin: string, source: string): Promise<ExtractedBinary> {
  const extraction = startExtraction(destDir, bin, source);
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: READ_CHUNK_BYTES })) await extraction.write(chunk as Buffer);
  } catch (error) {
    await extraction.abandon();
    throw error;
  }
  extraction.end();
  return extraction.finish();
}

async function locateAndMarkExecutable(entries: ArchiveEntryInfo[], destDir: string, bin: string, source: string): Promise<ExtractedBinary> {
  const located = locateBinary(entries, bin);
  if ('problem' in located) {
    throw new ReleaseAssetError(
      `${source} has ${located.problem}; ${describeEntries(entries)}. The archive must hold the worker binary "${bin}" ` +
        'at its root (or in a single top-level folder); check the worker\'s `bin` in iii.worker.yaml.',
      'binary-not-found',
      { url: source },
    );
  }
  const binaryPath = join(destDir, located.path);
  const stat = await lstat(binaryPath).catch(() => undefined);
  if (!stat?.isFile()) {
    throw new ReleaseAssetError(`${source}: "${located.path}" was not extracted as a regular file.`, 'binary-not-found', { url: source });
  }
  await chmod(binaryPath, 0o755);
  return { binaryRelativePath: located.path, entries };
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
