import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Which npm packages the workspace's lockfile holds as installed packages (not workspace links). */
export type LockedPackages = (name: string) => boolean;

/**
 * Nx fails a task whose `externalDependencies` input names a package that is not an npm node of the graph, and
 * those nodes come from the root lockfile, only when Nx sees it: a lockfile that .gitignore leaves out (as the iii
 * workers repository does) gives no npm nodes at all. So `lockfile` is the one Nx sees, or undefined.
 */
export function readLockedPackages(workspaceRoot: string, lockfile: string | undefined): LockedPackages {
  if (!lockfile) return () => false;
  let text: string;
  try {
    text = readFileSync(join(workspaceRoot, lockfile), 'utf8');
  } catch {
    return () => false;
  }
  if (lockfile === 'package-lock.json') {
    let packages: Record<string, { link?: boolean }> = {};
    try {
      packages = JSON.parse(text).packages ?? {};
    } catch {
      // Nx reports a broken lockfile itself; without it no dependency can be named.
    }
    return (name) => {
      const entry = packages[`node_modules/${name}`];
      return entry !== undefined && entry.link !== true;
    };
  }
  if (lockfile === 'bun.lockb') return () => false; // binary: not read here
  return (name) => text.includes(`${name}@`) && !text.includes(`${name}@workspace:`) && !text.includes(`${name}@link:`);
}
