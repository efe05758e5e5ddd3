import { basename, dirname } from 'node:path';

/** Lockfiles Nx builds its npm nodes from (`nx/src/plugins/js/lock-file` LOCKFILES), at the workspace root only. */
export const ROOT_LOCKFILES = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb'];

export const WORKER_MANIFEST = 'iii.worker.yaml';

/**
 * What the plugin asks Nx for: the worker manifests, the project files that name other projects (to avoid taking
 * their name) and the root lockfiles. Nx matches it against the workspace's files minus what .gitignore and
 * .nxignore leave out, which is exactly what decides whether Nx builds npm nodes from a lockfile.
 */
export const PLUGIN_GLOB = `{**/${WORKER_MANIFEST},**/package.json,**/project.json,${ROOT_LOCKFILES.join(',')}}`;

export interface WorkspaceFiles {
  workerManifests: string[];
  /** package.json and project.json files outside worker folders' own. */
  projectFiles: string[];
  /** The root lockfile Nx reads, when it is part of the workspace (not ignored). */
  lockfile?: string;
}

export function splitWorkspaceFiles(files: readonly string[]): WorkspaceFiles {
  const workerManifests = files.filter((file) => basename(file) === WORKER_MANIFEST && dirname(file) !== '.');
  const projectFiles = files.filter((file) => ['package.json', 'project.json'].includes(basename(file)));
  const lockfile = ROOT_LOCKFILES.find((name) => files.includes(name));
  return { workerManifests, projectFiles, lockfile };
}
