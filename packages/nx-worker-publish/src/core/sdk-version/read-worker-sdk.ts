import { relative } from 'node:path';
import { readNodeSdk } from './read-node-sdk';
import { readPythonSdk } from './read-python-sdk';
import { readRustSdk } from './read-rust-sdk';
import { foldersUpTo } from './search-upwards';
import type { SdkReading } from './worker-sdk';

/**
 * Which iii SDK version a worker is built on, read from its folder and the folders above it up to the workspace root:
 * Rust (Cargo.lock, Cargo.toml), then Python (venv, uv.lock, poetry.lock, requirements*.txt, pyproject.toml), then Node
 * (node_modules, package-lock.json, package.json). A worker folder with a package.json beside a Cargo.toml is read as
 * Rust first. Never throws: an unreadable version comes back with the reason.
 */
export function readWorkerSdk(workerDir: string, workspaceRoot: string): SdkReading {
  const folders = foldersUpTo(workerDir, workspaceRoot);
  const label = (path: string) => relative(workspaceRoot, path) || path;
  const sdk = readRustSdk(folders, label) ?? readPythonSdk(folders, label) ?? readNodeSdk(folders, label);
  if (sdk) return { sdk };
  return {
    sdk: undefined,
    reason: `no iii-sdk version found for ${label(workerDir)} (looked for Cargo.lock/Cargo.toml, a venv, uv.lock, poetry.lock, requirements*.txt, pyproject.toml, node_modules, package-lock.json and package.json)`,
  };
}
