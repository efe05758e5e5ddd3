import { join, relative } from 'node:path';
import { findNearest, readIfFile } from './search-upwards';
import { versionOfRequirement, type WorkerSdk } from './worker-sdk';

const SDK_PACKAGE = 'iii-sdk';

function jsonOf(text: string | undefined): Record<string, any> | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A Node worker's iii-sdk: the package Node would load from the worker folder (`node_modules/iii-sdk`, nearest
 * first), else the nearest package-lock.json's entry for it, else the package.json range. Undefined when the folder
 * has no package.json naming iii-sdk.
 */
export function readNodeSdk(folders: string[], label: (path: string) => string): WorkerSdk | undefined {
  const manifest = jsonOf(readIfFile(join(folders[0], 'package.json')));
  const range: unknown = manifest?.dependencies?.[SDK_PACKAGE] ?? manifest?.devDependencies?.[SDK_PACKAGE];
  if (typeof range !== 'string') return undefined;
  const found = (version: unknown, path: string): WorkerSdk | undefined =>
    typeof version === 'string' && version !== '' ? { language: 'node', version, source: label(path) } : undefined;

  const installed = findNearest(folders, join('node_modules', SDK_PACKAGE, 'package.json'));
  const fromInstall = installed && found(jsonOf(installed.text)?.version, installed.path);
  if (fromInstall) return fromInstall;
  const lock = findNearest(folders, 'package-lock.json');
  if (lock) {
    const packages = jsonOf(lock.text)?.packages ?? {};
    const lockDir = join(lock.path, '..');
    const own = relative(lockDir, folders[0]);
    const entry = packages[own === '' ? `node_modules/${SDK_PACKAGE}` : `${own}/node_modules/${SDK_PACKAGE}`] ?? packages[`node_modules/${SDK_PACKAGE}`];
    const fromLock = found(entry?.version, lock.path);
    if (fromLock) return fromLock;
  }
  return found(versionOfRequirement(range), join(folders[0], 'package.json'));
}
