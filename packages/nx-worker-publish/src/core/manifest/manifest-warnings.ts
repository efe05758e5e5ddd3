import { readWorkerVersion } from './read-worker-version';
import type { WorkerManifest } from './worker-manifest';

/** Every key iii.worker.yaml may hold (spec publish-pipeline §2 and publish-pipeline-later §1.1), nested ones by parent. */
const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': [
    'iii', 'name', 'language', 'deploy', 'manifest', 'bin', 'version', 'description', 'license', 'tags', 'experimental',
    'config', 'dependencies', 'runtime', 'scripts', 'env', 'resources', 'targets', 'interface_smoke',
  ],
  runtime: ['kind', 'language', 'entry', 'package_manager', 'base_image'],
  scripts: ['start', 'install', 'setup'],
  resources: ['memory', 'cpus'],
};

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function closest(key: string, known: readonly string[]): string {
  return [...known].sort((a, b) => editDistance(key, a) - editDistance(key, b) || a.localeCompare(b))[0];
}

/**
 * Keys the plugin (and the engine, which reads the manifest strictly since 0.26) does not know: a misspelled
 * `deploy` or `scripts` would otherwise be ignored without a word. One line per key, naming the file and the
 * closest known key. Keys are printed as JSON strings: they come from the worker's files.
 */
export function unknownKeyWarnings(manifest: Pick<WorkerManifest, 'file' | 'raw'>): string[] {
  const warnings: string[] = [];
  const check = (mapping: Record<string, unknown>, parent: string) => {
    const known = KNOWN_KEYS[parent];
    for (const key of Object.keys(mapping)) {
      if (known.includes(key)) continue;
      const path = parent ? `${parent}.${key}` : key;
      const suggestion = parent ? `${parent}.${closest(key, known)}` : closest(key, known);
      warnings.push(`⚠ ${manifest.file}: unknown key ${JSON.stringify(path)} is ignored (did you mean \`${suggestion}\`?)`);
    }
  };
  check(manifest.raw, '');
  for (const parent of ['runtime', 'scripts', 'resources']) {
    const value = manifest.raw[parent];
    if (value && typeof value === 'object' && !Array.isArray(value)) check(value as Record<string, unknown>, parent);
  }
  return warnings;
}

/**
 * `version:` in iii.worker.yaml next to a language manifest: the language manifest's version is the one published,
 * so a different `version:` is stale. Undefined when they agree or either is missing (or unreadable: publishing
 * reports that).
 */
export function versionMismatchWarning(manifest: Pick<WorkerManifest, 'dir' | 'file' | 'manifest' | 'raw'>): string | undefined {
  const own = manifest.raw.version;
  if (!manifest.manifest || own === undefined || own === null) return undefined;
  let published: string;
  try {
    published = readWorkerVersion(manifest);
  } catch {
    return undefined;
  }
  const stated = String(own).trim();
  if (stated === published) return undefined;
  return `⚠ ${manifest.file}: \`version: ${JSON.stringify(stated)}\` is not used; the version published is ${published}, from ${manifest.manifest}. Remove \`version\` or make it match.`;
}
