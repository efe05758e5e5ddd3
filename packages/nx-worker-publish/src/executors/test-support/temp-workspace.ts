import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** A file's text, or its text with a mode (0o755 for a "binary" script). */
export type FileSpec = string | { content: string; mode: number };

export interface TempWorkspace {
  /** Absolute, symlinks resolved (so it matches what processes report as their cwd). */
  root: string;
  projectName: string;
  /** Workspace-relative worker folder, e.g. `workers/calc`. */
  projectRoot: string;
  workerDir: string;
  /** Writes a file relative to the worker folder, creating folders. Returns its absolute path. */
  writeWorkerFile(path: string, spec: FileSpec): string;
  /** Writes a file relative to the workspace root, creating folders. Returns its absolute path. */
  writeFile(path: string, spec: FileSpec): string;
  /** Reads a workspace-relative file. */
  readFile(path: string): string;
  remove(): void;
}

/** The repository's node_modules, found upwards from here, so fixture workers can `require('iii-sdk')`. */
function repositoryNodeModules(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(join(candidate, 'iii-sdk', 'package.json'))) return candidate;
  }
  throw new Error('test setup: no node_modules with iii-sdk above ' + __dirname);
}

function writeSpec(file: string, spec: FileSpec): string {
  mkdirSync(dirname(file), { recursive: true });
  const { content, mode } = typeof spec === 'string' ? { content: spec, mode: 0o644 } : spec;
  writeFileSync(file, content, { mode });
  return file;
}

/**
 * A throwaway Nx-like workspace: one worker folder at `workers/<name>` holding `files`, and a `node_modules`
 * symlink to the repository's, the way an installed workspace resolves `iii-sdk`.
 */
export function createTempWorkspace(options: { worker: string; files: Record<string, FileSpec> }): TempWorkspace {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'executor-ws-')));
  symlinkSync(repositoryNodeModules(), join(root, 'node_modules'), 'dir');
  const projectRoot = `workers/${options.worker}`;
  const workerDir = join(root, projectRoot);
  mkdirSync(workerDir, { recursive: true });
  const workspace: TempWorkspace = {
    root,
    projectName: options.worker,
    projectRoot,
    workerDir,
    writeWorkerFile: (path, spec) => writeSpec(resolve(workerDir, path), spec),
    writeFile: (path, spec) => writeSpec(resolve(root, path), spec),
    readFile: (path) => readFileSync(resolve(root, path), 'utf8'),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const [path, spec] of Object.entries(options.files)) workspace.writeWorkerFile(path, spec);
  return workspace;
}
