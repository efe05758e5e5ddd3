import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FileSystemError, fsFaultCause, fsFaultPath } from './fs-fault';

/**
 * Writes to a temporary sibling then renames, so a reader (or Nx's cache) never sees a partial file and a failed write
 * leaves the previous file as it was. A full disk or a read-only folder is reported naming the path and the cause.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  try {
    await makeFolder(dirname(path));
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    const cause = fsFaultCause(error);
    if (!cause) throw error;
    const at = fsFaultPath(error);
    throw new FileSystemError(
      `could not write ${path}${at && at !== path && !at.startsWith(`${path}.`) ? ` (at ${at})` : ''}: ${cause}. ` +
        'The previous file, if any, is unchanged; make the folder writable (or free space on it) and run again.',
    );
  }
}

/**
 * `mkdir -p` that reports the real cause: Node's recursive mkdir answers ENOENT when a folder on the way cannot be
 * created on a read-only file system; creating the missing folders one by one surfaces EROFS (or EACCES) instead.
 */
async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const missing: string[] = [];
    for (let at = dir; !(await stat(at).catch(() => undefined)) && dirname(at) !== at; at = dirname(at)) missing.unshift(at);
    for (const folder of missing) await mkdir(folder);
    throw error;
  }
}
