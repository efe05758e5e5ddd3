import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findNearest, readIfFile } from './search-upwards';
import { lockedPackages } from './toml-packages';
import { versionOfRequirement, type WorkerSdk } from './worker-sdk';

/** PEP 503 normalized name of the SDK distribution (`iii-sdk`, `iii_sdk`, `III.SDK` are one). */
const isSdkName = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-') === 'iii-sdk';
/** `iii-sdk==0.25.0`, `"iii_sdk>=0.25,<0.26"`, `iii-sdk = "^0.25.0"` (Poetry): the first version after the name. */
const SDK_REQUIREMENT = /\biii[-_.]sdk\b(?:\[[^\]]*\])?\s*(?:["']?\s*=\s*["']?)?\s*(?:[=~!<>^]=?=?)?\s*(\d+\.\d+[0-9A-Za-z.+-]*)/i;

const PYTHON_MARKERS = ['pyproject.toml', 'uv.lock', 'poetry.lock', 'requirements.txt', 'setup.py', 'setup.cfg'];

/** `iii_sdk-<version>.dist-info` in a project-local virtual environment (`.venv` or `venv`): what actually runs. */
function installedInVenv(folder: string): { version: string; path: string } | undefined {
  for (const venv of ['.venv', 'venv']) {
    let pythons: string[];
    try {
      pythons = readdirSync(join(folder, venv, 'lib')).filter((d) => d.startsWith('python'));
    } catch {
      continue;
    }
    for (const python of pythons) {
      const sitePackages = join(folder, venv, 'lib', python, 'site-packages');
      let entries: string[] = [];
      try {
        entries = readdirSync(sitePackages);
      } catch {
        continue;
      }
      const info = entries.find((e) => /^iii_sdk-[^-]+\.dist-info$/i.test(e));
      if (info) return { version: info.slice('iii_sdk-'.length, -'.dist-info'.length), path: join(sitePackages, info) };
    }
  }
  return undefined;
}

/**
 * A Python worker's iii-sdk: installed in the worker's own virtual environment, else locked in uv.lock / poetry.lock,
 * else required in requirements*.txt or pyproject.toml. Undefined when the folder shows no Python project.
 */
export function readPythonSdk(folders: string[], label: (path: string) => string): WorkerSdk | undefined {
  const workerDir = folders[0];
  let files: string[] = [];
  try {
    files = readdirSync(workerDir);
  } catch {
    return undefined;
  }
  const requirementFiles = files.filter((f) => /^requirements.*\.txt$/.test(f)).sort();
  if (!PYTHON_MARKERS.some((m) => files.includes(m)) && requirementFiles.length === 0) return undefined;
  const found = (version: string | undefined, path: string): WorkerSdk | undefined => (version ? { language: 'python', version, source: label(path) } : undefined);

  const installed = installedInVenv(workerDir);
  if (installed) return found(installed.version, installed.path);
  for (const lockName of ['uv.lock', 'poetry.lock']) {
    const lock = findNearest(folders, lockName);
    const locked = lock && lockedPackages(lock.text).find((p) => isSdkName(p.name));
    if (lock && locked) return found(locked.version, lock.path);
  }
  for (const name of [...requirementFiles, 'pyproject.toml']) {
    const path = join(workerDir, name);
    const text = readIfFile(path) ?? '';
    const requirement = SDK_REQUIREMENT.exec(text)?.[1];
    const sdk = requirement ? found(versionOfRequirement(requirement), path) : undefined;
    if (sdk) return sdk;
  }
  return undefined;
}
