import { dirname, join, parse, relative } from 'node:path';
import { findNearest, foldersUpTo, readIfFile } from './search-upwards';
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

const rangeIn = (manifest: Record<string, any> | undefined): unknown => manifest?.dependencies?.[SDK_PACKAGE] ?? manifest?.devDependencies?.[SDK_PACKAGE];

/**
 * A Node worker's iii-sdk: the package Node would load from the worker folder (`node_modules/iii-sdk`, nearest
 * first, up to the filesystem root), else the nearest package-lock.json's entry for it, else the nearest package.json range (the worker's, or
 * the workspace's when the SDK is a workspace dependency). Undefined when the folder has no package.json.
 */
export function readNodeSdk(folders: string[], label: (path: string) => string): WorkerSdk | undefined {
  if (readIfFile(join(folders[0], 'package.json')) === undefined) return undefined;
  const found = (version: unknown, path: string): WorkerSdk | undefined =>
    typeof version === 'string' && version !== '' ? { language: 'node', version, source: label(path) } : undefined;

  // Node resolves `require('iii-sdk')` through every folder up to the filesystem root, not only the workspace's.
  const installed = findNearest(foldersUpTo(folders[0], parse(folders[0]).root), join('node_modules', SDK_PACKAGE, 'package.json'));
  const fromInstall = installed && found(jsonOf(installed.text)?.version, installed.path);
  if (fromInstall) return fromInstall;
  const lock = findNearest(folders, 'package-lock.json');
  if (lock) {
    const packages = jsonOf(lock.text)?.packages ?? {};
    const own = relative(dirname(lock.path), folders[0]);
    const entry = packages[own === '' ? `node_modules/${SDK_PACKAGE}` : `${own}/node_modules/${SDK_PACKAGE}`] ?? packages[`node_modules/${SDK_PACKAGE}`];
    const fromLock = found(entry?.version, lock.path);
    if (fromLock) return fromLock;
  }
  for (const folder of folders) {
    const path = join(folder, 'package.json');
    const range = rangeIn(jsonOf(readIfFile(path)));
    if (typeof range === 'string') return found(versionOfRequirement(range), path);
  }
  return undefined;
}
