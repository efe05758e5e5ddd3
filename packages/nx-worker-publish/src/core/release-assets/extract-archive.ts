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
 * Extracts a .tar.gz into `destDir` (an empty, private folder the caller discards on error) in one pass: every entry
 * is checked before it is written and the first unsafe one refuses the whole archive, so nothing from it is run.
 * Then finds `{bin}` (at the root or in one top-level folder) and makes it executable. `source` (the asset URL) is
 * only used in messages.
 */
export async function extractTarGz(file: string, destDir: string, bin: string, source: string, limits: ArchiveLimits = {}): Promise<ExtractedBinary> {
  const entries: ArchiveEntryInfo[] = [];
  const rules = new ArchiveEntryRules(limits);
  let refused: { entry: ArchiveEntryInfo; reason: string; overLimit: boolean } | undefined;
  const unpack = new Unpack({
    cwd: destDir,
    strict: true,
    preserveOwner: false,
    filter: (_path, entry) => {
      if (refused) return false;
      const info = entryInfo(entry as ReadEntry);
      entries.push(info);
      const overLimit = rules.limitExceeded(info);
      const reason = overLimit ?? rules.refusal(info);
      if (!reason) return true;
      refused = { entry: info, reason, overLimit: overLimit !== undefined };
      // Stop reading at once: a bomb must not be decompressed to its end, and nothing after the refusal is written.
      unpack.abort(new Error(reason));
      return false;
    },
  });
  await new Promise<void>((resolve, reject) => {
    const input = createReadStream(file, { highWaterMark: READ_CHUNK_BYTES });
    input.on('error', reject);
    unpack.on('error', reject);
    unpack.on('close', () => resolve());
    unpack.on('abort', () => {
      input.unpipe(unpack);
      input.destroy();
    });
    input.pipe(unpack);
  }).catch((error: Error) => {
    if (refused) return; // our own abort: reported below with the real reason
    throw new ReleaseAssetError(
      `${source} is not a readable .tar.gz archive (${error.message}). Check how the release builds its archives.`,
      'bad-archive',
      { url: source },
    );
  });
  if (refused?.overLimit) throw overLimit(source, refused.reason);
  if (refused) throw unsafeEntry(source, refused.entry, refused.reason);

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

function overLimit(source: string, reason: string): ReleaseAssetError {
  return new ReleaseAssetError(
    `Refusing to extract ${source}: ${reason}. Extraction stopped there and nothing from this archive was run. ` +
      'If the release asset really is that large, raise the limit in the collect-interface options.',
    'archive-too-large',
    { url: source },
  );
}
