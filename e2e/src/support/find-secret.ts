import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every file under `root` whose bytes contain `secret` (symlinks are not followed, so a linked node_modules is not
 * searched; `skip` names folders left out by name). Paths are returned relative to `root`.
 */
export function filesContaining(root: string, secret: string, skip: readonly string[] = ['node_modules']): string[] {
  const needle = Buffer.from(secret);
  const hits: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      const stats = lstatSync(path);
      if (stats.isSymbolicLink()) continue;
      if (stats.isDirectory()) {
        if (!skip.includes(entry)) walk(path);
      } else if (stats.isFile() && readFileSync(path).includes(needle)) {
        hits.push(relative(root, path));
      }
    }
  };
  walk(root);
  return hits;
}

/** How many files a scan looked at, so a test can show it searched something real. */
export function countFiles(root: string, skip: readonly string[] = ['node_modules']): number {
  let count = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const stats = lstatSync(join(dir, entry));
      if (stats.isDirectory() && !skip.includes(entry)) walk(join(dir, entry));
      else if (stats.isFile()) count++;
    }
  };
  walk(root);
  return count;
}
