import { basename, join, resolve } from 'node:path';
import { ManifestError } from './manifest-error';
import { readYamlFile } from './parse-yaml-file';
import {
  DEPLOY_KINDS,
  type DeployKind,
  LANGUAGE_MANIFEST_FILES,
  type LanguageManifestFile,
  WORKER_MANIFEST_FILE,
  type WorkerManifest,
  type WorkerRuntime,
  type WorkerScripts,
} from './worker-manifest';

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A binary name ends up in URLs and file paths: keep it to one plain path segment. */
export const SAFE_BIN = /^[A-Za-z0-9_][A-Za-z0-9._+-]*$/;

/**
 * Reads and validates `{workerDir}/iii.worker.yaml` (spec publish-pipeline §2). Cheap and synchronous:
 * it reads that one file only (the version is read on demand by `readWorkerVersion`).
 */
export function readWorkerManifest(workerDir: string, opts: { folderName?: string } = {}): WorkerManifest {
  const dir = resolve(workerDir);
  const file = join(dir, WORKER_MANIFEST_FILE);
  const read = readYamlFile(file);
  if (!read.exists) {
    throw new ManifestError(
      `No ${WORKER_MANIFEST_FILE} in ${dir}. Every worker folder needs one with at least \`deploy: binary\`, \`deploy: image\` or \`deploy: bundle\`.`,
      file,
    );
  }
  if (!isMapping(read.value)) {
    throw new ManifestError(
      `${file} must be a YAML mapping of keys (name, language, deploy, manifest, ...), got ${describe(read.value)}.`,
      file,
    );
  }
  const raw = read.value;
  const folderName = opts.folderName ?? basename(dir);
  const keys = new KeyReader(raw, file);

  const name = keys.optionalString('name');
  const deploy = readDeploy(raw, file);
  const bin = keys.optionalString('bin') || name || folderName;
  if (!SAFE_BIN.test(bin)) {
    const source = keys.optionalString('bin') ? 'bin' : name ? 'name' : undefined;
    throw new ManifestError(
      `${file}: the binary name "${bin}" (from ${source ? `\`${source}\`` : 'the folder name'}) must be a plain file name ` +
        `(letters, digits, ".", "_", "+", "-"; no "/"). Set \`bin\` to the name of the worker's binary.`,
      file,
      source ?? 'bin',
    );
  }

  return {
    dir,
    file,
    folderName,
    name: name || undefined,
    deploy,
    bin,
    language: keys.optionalString('language'),
    manifest: readLanguageManifest(raw, file),
    description: readDescription(raw, file),
    license: keys.optionalString('license'),
    experimental: readExperimental(raw, file),
    tags: readTags(raw, file),
    config: readInlineConfig(raw, file),
    dependencies: raw.dependencies ?? undefined,
    runtime: readRuntime(raw, file),
    scripts: readScripts(raw, file),
    env: readEnv(raw, file),
    raw,
  };
}

function readDeploy(raw: Mapping, file: string): DeployKind | undefined {
  const value = raw.deploy;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && (DEPLOY_KINDS as readonly string[]).includes(value)) return value as DeployKind;
  const got = `got ${describe(value)}`;
  throw new ManifestError(
    `${file}: \`deploy\` must be one of ${DEPLOY_KINDS.join(', ')} (${got}). ` +
      'Use `deploy: binary` for workers released as binaries, `deploy: image` for container images, ' +
      '`deploy: bundle` for a release archive of sources or a built bundle (JavaScript, Python).',
    file,
    'deploy',
  );
}

function readLanguageManifest(raw: Mapping, file: string): LanguageManifestFile | undefined {
  const value = raw.manifest;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && (LANGUAGE_MANIFEST_FILES as readonly string[]).includes(value)) {
    return value as LanguageManifestFile;
  }
  throw new ManifestError(
    `${file}: \`manifest\` must be one of ${LANGUAGE_MANIFEST_FILES.join(', ')} (got ${describe(value)}). ` +
      'It names the file, in the worker folder, that holds the version.',
    file,
    'manifest',
  );
}

function readDescription(raw: Mapping, file: string): string | null {
  if (!('description' in raw)) return '';
  const value = raw.description;
  if (value === null) return null;
  if (typeof value === 'string') return value;
  throw new ManifestError(`${file}: \`description\` must be a string (got ${describe(value)}).`, file, 'description');
}

function readExperimental(raw: Mapping, file: string): boolean {
  const value = raw.experimental;
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  // The registry answers 422 to a string and clears the badge when the key is missing: only a real boolean goes out.
  throw new ManifestError(
    `${file}: \`experimental\` must be true or false (got ${describe(value)}). Write it unquoted, e.g. \`experimental: true\`.`,
    file,
    'experimental',
  );
}

/** The manifest-era rule (spec publish-pipeline-later §3.2): strip, lower-case, de-duplicate keeping first-seen order. */
function readTags(raw: Mapping, file: string): string[] {
  const value = raw.tags;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new ManifestError(
      `${file}: \`tags\` must be a list, got ${describe(value)}. Write it as a YAML list, e.g. \`tags: [agent, search]\`.`,
      file,
      'tags',
    );
  }
  const tags: string[] = [];
  value.forEach((entry, index) => {
    if (typeof entry !== 'string') {
      throw new ManifestError(
        `${file}: tags entries must be strings, but \`tags[${index}]\` is ${describe(entry)}. Quote it (\`- "2024"\`) or remove it.`,
        file,
        `tags[${index}]`,
      );
    }
    const tag = entry.trim().toLowerCase();
    if (tag && !tags.includes(tag)) tags.push(tag);
  });
  return tags;
}

function readInlineConfig(raw: Mapping, file: string): Record<string, unknown> | undefined {
  const value = raw.config;
  if (value === undefined || value === null) return undefined;
  if (isMapping(value)) return value;
  throw new ManifestError(
    `${file}: worker config must be an object: \`config\` is ${describe(value)}. Write it as a mapping ` +
      '(e.g. `config: {adapter: {name: local}}`), or remove it to use config.yaml.',
    file,
    'config',
  );
}

function readRuntime(raw: Mapping, file: string): WorkerRuntime | undefined {
  const value = raw.runtime;
  if (value === undefined || value === null) return undefined;
  if (!isMapping(value)) {
    throw new ManifestError(
      `${file}: \`runtime\` must be a mapping with kind, language, entry and package_manager (got ${describe(value)}).`,
      file,
      'runtime',
    );
  }
  const keys = new KeyReader(value, file, 'runtime.');
  return {
    kind: keys.optionalString('kind'),
    language: keys.optionalString('language'),
    entry: keys.optionalString('entry'),
    packageManager: keys.optionalString('package_manager'),
  };
}

function readScripts(raw: Mapping, file: string): WorkerScripts {
  const value = raw.scripts;
  if (value === undefined || value === null) return {};
  if (!isMapping(value)) {
    throw new ManifestError(
      `${file}: \`scripts\` must be a mapping of start, install and setup commands (got ${describe(value)}).`,
      file,
      'scripts',
    );
  }
  const keys = new KeyReader(value, file, 'scripts.');
  const scripts: WorkerScripts = {};
  for (const key of ['start', 'install', 'setup'] as const) {
    const script = keys.optionalString(key)?.trim();
    if (script) scripts[key] = script;
  }
  return scripts;
}

function readEnv(raw: Mapping, file: string): Record<string, string> {
  const value = raw.env;
  if (value === undefined || value === null) return {};
  if (!isMapping(value)) {
    throw new ManifestError(`${file}: \`env\` must be a mapping of NAME: value (got ${describe(value)}).`, file, 'env');
  }
  const env: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry === null) env[key] = '';
    else if (['string', 'number', 'boolean'].includes(typeof entry)) env[key] = String(entry);
    else {
      throw new ManifestError(
        `${file}: \`env.${key}\` must be a string, number or boolean (got ${describe(entry)}).`,
        file,
        `env.${key}`,
      );
    }
  }
  return env;
}

/** Reads optional string keys, naming `prefix+key` in errors. Empty and null count as absent. */
class KeyReader {
  constructor(
    private readonly map: Mapping,
    private readonly file: string,
    private readonly prefix = '',
  ) {}

  optionalString(key: string): string | undefined {
    const value = this.map[key];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string') return value;
    throw new ManifestError(
      `${this.file}: \`${this.prefix}${key}\` must be a string (got ${describe(value)}).`,
      this.file,
      `${this.prefix}${key}`,
    );
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
