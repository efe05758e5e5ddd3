import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The worker folder and each folder above it up to the workspace root (inclusive), nearest first. */
export function foldersUpTo(workerDir: string, workspaceRoot: string): string[] {
  const root = resolve(workspaceRoot);
  const folders: string[] = [];
  for (let dir = resolve(workerDir); ; dir = dirname(dir)) {
    folders.push(dir);
    if (dir === root || dirname(dir) === dir || relative(root, dir).startsWith('..')) return folders;
  }
}

/** The text of a file, or undefined when it is not a readable file. */
export function readIfFile(path: string): string | undefined {
  try {
    return existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** The nearest `name` in the folders (nearest first), with its path and text. */
export function findNearest(folders: string[], name: string): { path: string; text: string } | undefined {
  for (const folder of folders) {
    const path = join(folder, name);
    const text = readIfFile(path);
    if (text !== undefined) return { path, text };
  }
  return undefined;
}
