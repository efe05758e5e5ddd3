import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root: the folder above this file that holds the plugin package. */
export function repositoryRoot(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'packages', 'nx-worker-publish', 'package.json'))) return dir;
  }
  throw new Error(`bench: no repository root (with packages/nx-worker-publish) above ${__dirname}`);
}

export const repositoryNodeModules = () => join(repositoryRoot(), 'node_modules');

/** The Nx CLI of the repository install (`nx/package.json` → its `bin.nx`). */
export function nxCli(): string {
  const manifest = require.resolve('nx/package.json');
  const bin = (require(manifest) as { bin: Record<string, string> }).bin.nx;
  return join(dirname(manifest), bin);
}

/** Where the compiled reference client lives (spawned once per engine call). */
export const referenceClientScript = () => join(__dirname, '..', 'reference', 'iii-trigger-cli.js');
