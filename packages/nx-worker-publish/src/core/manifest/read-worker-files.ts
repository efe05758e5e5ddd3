import { join, resolve } from 'node:path';
import { ManifestError } from './manifest-error';
import { readYamlFile } from './parse-yaml-file';
import { readWorkerTextFile } from './read-text-file';

/** `{workerDir}/config.yaml` as sent in the payload's `config`: `{}` when absent or empty. */
export function readWorkerConfig(workerDir: string): Record<string, unknown> {
  const file = join(resolve(workerDir), 'config.yaml');
  const read = readYamlFile(file);
  if (!read.exists || read.value === null || read.value === undefined) return {};
  if (typeof read.value !== 'object' || Array.isArray(read.value)) {
    throw new ManifestError(
      `${file} must be a YAML mapping (the registry stores it as the worker's default config), got ${Array.isArray(read.value) ? 'a list' : typeof read.value}.`,
      file,
    );
  }
  return read.value as Record<string, unknown>;
}

/** `{workerDir}/README.md` text, `''` when absent; capped and UTF-8 checked like the manifest (it is published). */
export function readWorkerReadme(workerDir: string): string {
  return readWorkerTextFile(join(resolve(workerDir), 'README.md')) ?? '';
}
