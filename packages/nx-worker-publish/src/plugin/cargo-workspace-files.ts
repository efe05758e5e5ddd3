import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A Rust worker inside a cargo workspace is compiled against the workspace's Cargo.lock and root Cargo.toml, which
 * sit above its folder (so `{projectRoot}/**` misses them): cargo-run compiles what they pin. Returns them as
 * workspace-relative paths (the nearest folder above the worker that has a Cargo.lock), or [] when the worker keeps
 * its own lockfile or has none.
 */
export function cargoWorkspaceFiles(workspaceRoot: string, projectRoot: string): string[] {
  if (existsSync(join(workspaceRoot, projectRoot, 'Cargo.lock'))) return [];
  for (let dir = dirname(projectRoot); ; dir = dirname(dir)) {
    const folder = dir === '.' ? '' : dir;
    if (existsSync(join(workspaceRoot, folder, 'Cargo.lock'))) {
      return [join(folder, 'Cargo.lock'), join(folder, 'Cargo.toml')].filter((file) => existsSync(join(workspaceRoot, file)));
    }
    if (dir === '.' || dir === '/' || dir === '') return [];
  }
}
