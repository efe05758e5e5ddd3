import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Workspace-relative paths of the files under `root` that contain `secret` (symlinks, such as node_modules, are not followed). */
export function filesContaining(root: string, secret: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) visit(path);
      else if (stat.isFile() && readFileSync(path).includes(secret)) found.push(relative(root, path));
    }
  };
  visit(root);
  return found;
}

/** The printed lines that contain `secret`. */
export function linesContaining(lines: string[], secret: string): string[] {
  return lines.filter((line) => line.includes(secret));
}
