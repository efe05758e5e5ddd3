import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGE_NAME = 'nx-worker-publish';
const PACKAGE_JSON = join(__dirname, '..', '..', 'package.json'); // from src/plugin and from dist/plugin alike

let version: string | undefined;

/** The plugin's own version: part of collection's options, so a plugin upgrade re-collects (see worker-inputs). */
export function pluginVersion(): string {
  version ??= String((JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version?: unknown }).version ?? '0.0.0');
  return version;
}

/**
 * How the workspace runs the plugin's `worker-publish` bin, for the targets' help commands: `npx` finds it in
 * node_modules/.bin; an `.nx/installation` (Nx without a root package.json) has no such link, and `npx` would ask
 * the npm registry, so the bin is named by its workspace-relative path. Relative, so the graph stays the same
 * on every machine.
 */
export function pluginHelpCommand(workspaceRoot: string): string {
  const installed = (base: string) => existsSync(join(workspaceRoot, base, 'node_modules', PACKAGE_NAME, 'package.json'));
  if (!installed('.') && installed('.nx/installation')) {
    return `node .nx/installation/node_modules/${PACKAGE_NAME}/bin/worker-publish.js`;
  }
  return 'npx worker-publish';
}
