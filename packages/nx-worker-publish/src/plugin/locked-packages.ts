import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Which npm packages the workspace's lockfile holds as installed packages (not workspace links). */
export type LockedPackages = (name: string) => boolean;

const TEXT_LOCKFILES = ['pnpm-lock.yaml', 'yarn.lock', 'bun.lock'];

/**
 * Nx fails a task whose `externalDependencies` input names a package that is not an npm node of the graph, and
 * those nodes come from the lockfile. So a worker's dependencies become inputs only when the lockfile has them.
 */
export function readLockedPackages(workspaceRoot: string): LockedPackages {
  const npmLock = join(workspaceRoot, 'package-lock.json');
  if (existsSync(npmLock)) {
    let packages: Record<string, { link?: boolean }> = {};
    try {
      packages = JSON.parse(readFileSync(npmLock, 'utf8')).packages ?? {};
    } catch {
      // Nx reports a broken lockfile itself; without it no dependency can be named.
    }
    return (name) => {
      const entry = packages[`node_modules/${name}`];
      return entry !== undefined && entry.link !== true;
    };
  }
  for (const file of TEXT_LOCKFILES) {
    const path = join(workspaceRoot, file);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    return (name) => text.includes(`${name}@`) && !text.includes(`${name}@workspace:`) && !text.includes(`${name}@link:`);
  }
  return () => false;
}
