import { createReadStream } from 'node:fs';
import { chmod, lstat } from 'node:fs/promises';
import { join } from 'node:path';
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
  // 'close' comes after the last pending file write, also after an error once the input has ended.
  const closed = new Promise<void>((resolve) => unpack.once('close', () => resolve()));
  let signalStop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (signalStop = resolve));
  void closed.then(signalStop);
  unpack.on('error', (error: Error) => {
    failure ??= error;
    signalStop();
    if (!ended) {
      ended = true;
      unpack.end();
    }
  });
  // After an error or an abort tar emits no 'close' and writes nothing new; let callbacks already under way land,
  // and the caller removes the folder with retries.
  const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

  return {
    async write(chunk) {
      if (failure || ended) return;
      if (!unpack.write(chunk)) await Promise.race([new Promise<void>((resolve) => unpack.once('drain', () => resolve())), stopped]);
    },
    end() {
      if (ended) return;
      ended = true;
      unpack.end();
    },
    async finish() {
      await stopped;
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
      failure ??= new Error('abandoned');
      if (!ended) {
        ended = true;
        unpack.abort(failure);
      }
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
