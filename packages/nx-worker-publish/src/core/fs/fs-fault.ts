/**
 * Faults of the machine, not of the worker or the release: a full disk, a read-only or missing folder. Node reports
 * them as raw `EROFS: read-only file system, open '…'` errors; these helpers name the cause in words, so messages can
 * say which path failed and why ("no space left on the device (ENOSPC)") instead of blaming an archive or a worker.
 */
const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'the path is a folder',
  ENOENT: 'a folder on the way does not exist',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
  EIO: 'an input/output error of the device',
};

interface ErrnoLike {
  code?: unknown;
  path?: unknown;
}

/** "no space left on the device (ENOSPC)" for a filesystem error, else undefined. */
export function fsFaultCause(error: unknown): string | undefined {
  const code = (error as ErrnoLike | undefined)?.code;
  return typeof code === 'string' && code in CAUSES ? `${CAUSES[code]} (${code})` : undefined;
}

/** The path a filesystem error names, if it names one. */
export function fsFaultPath(error: unknown): string | undefined {
  const path = (error as ErrnoLike | undefined)?.path;
  return typeof path === 'string' ? path : undefined;
}

/** A file or folder the run had to write could not be written; the message names the path and the cause. */
export class FileSystemError extends Error {
  override readonly name = 'FileSystemError';
}
