import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ManifestError } from './manifest-error';

const MIB = 1024 * 1024;
/** Worker files (iii.worker.yaml, config.yaml, README.md) are read on every `nx show projects`: keep them small. */
export const DEFAULT_MAX_WORKER_FILE_BYTES = 1 * MIB;
/** Raises the limit for every worker file, in MiB (the files are read while Nx builds its graph, so no option reaches there). */
export const MAX_WORKER_FILE_ENV = 'WORKER_PUBLISH_MAX_MANIFEST_MIB';

export function maxWorkerFileBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mib = Number(env[MAX_WORKER_FILE_ENV]);
  return Number.isFinite(mib) && mib > 0 ? Math.floor(mib * MIB) : DEFAULT_MAX_WORKER_FILE_BYTES;
}

/** Where the first byte that is not UTF-8 sits, or `undefined` when the whole buffer is valid UTF-8. */
export interface InvalidUtf8 {
  offset: number;
  /** 1-based line of that byte, and the line's text (invalid bytes shown as U+FFFD). */
  line: number;
  lineText: string;
}

/**
 * Reads a worker file as UTF-8 text: `undefined` when it does not exist; a ManifestError naming the file when it is
 * larger than `maxBytes` (checked before reading it) or holds bytes that are not UTF-8 (they would be published as
 * U+FFFD). `describeInvalid` may add where in the file the bad byte is (e.g. the YAML key).
 */
export function readWorkerTextFile(
  file: string,
  options: { maxBytes?: number; describeInvalid?: (text: string, invalid: InvalidUtf8) => string } = {},
): string | undefined {
  const maxBytes = options.maxBytes ?? maxWorkerFileBytes();
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ManifestError(`Cannot read ${file}: ${(error as Error).message}.`, file);
  }
  let bytes: Buffer;
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) throw tooLarge(file, size, maxBytes);
    bytes = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    bytes = bytes.subarray(0, read);
  } catch (error) {
    if (error instanceof ManifestError) throw error;
    throw new ManifestError(`Cannot read ${file}: ${(error as Error).message}.`, file);
  } finally {
    closeSync(fd);
  }
  const text = bytes.toString('utf8');
  const invalid = findInvalidUtf8(bytes, text);
  if (invalid) {
    const where = options.describeInvalid?.(text, invalid) ?? '';
    throw new ManifestError(
      `${file} is not valid UTF-8: byte ${invalid.offset} (line ${invalid.line}${where}) is not part of a UTF-8 character. ` +
        'Save the file as UTF-8; it would otherwise be published with U+FFFD in place of those bytes.',
      file,
    );
  }
  return text;
}

/** Re-encoding the lossy decode reproduces every valid byte; the first difference is the first invalid one. */
export function findInvalidUtf8(bytes: Buffer, text = bytes.toString('utf8')): InvalidUtf8 | undefined {
  const reencoded = Buffer.from(text, 'utf8');
  if (reencoded.equals(bytes)) return undefined;
  let offset = 0;
  while (offset < bytes.length && bytes[offset] === reencoded[offset]) offset++;
  const before = bytes.subarray(0, offset).toString('utf8');
  const line = before.split('\n').length;
  const lineText = text.split('\n')[line - 1] ?? '';
  return { offset, line, lineText };
}

function tooLarge(file: string, size: number, maxBytes: number): ManifestError {
  const mib = (bytes: number) => `${(bytes / MIB).toFixed(bytes < MIB ? 2 : 1)} MiB`;
  return new ManifestError(
    `${file} is ${mib(size)}, more than the ${mib(maxBytes)} a worker file may have, so it was not read. ` +
      `Shrink it, or raise the limit with the environment variable ${MAX_WORKER_FILE_ENV} (in MiB).`,
    file,
  );
}
