/** The deploy kinds the registry accepts (spec publish-pipeline-later §1.1): release binaries, an image, or a bundle. */
export const DEPLOY_KINDS = ['binary', 'image', 'bundle'] as const;
export type DeployKind = (typeof DEPLOY_KINDS)[number];

/** The language manifests a worker's version can come from. */
export const LANGUAGE_MANIFEST_FILES = ['Cargo.toml', 'package.json', 'pyproject.toml'] as const;
export type LanguageManifestFile = (typeof LANGUAGE_MANIFEST_FILES)[number];

export const WORKER_MANIFEST_FILE = 'iii.worker.yaml';

export interface WorkerRuntime {
  kind?: string;
  language?: string;
  entry?: string;
  packageManager?: string;
}

export interface WorkerScripts {
  start?: string;
  install?: string;
  setup?: string;
}

/** `iii.worker.yaml`, validated. Keys the pipeline does not use stay readable through `raw`. */
export interface WorkerManifest {
  /** Absolute path of the worker folder. */
  dir: string;
  /** Absolute path of `iii.worker.yaml`. */
  file: string;
  /** The worker folder's name (the registry worker name by default). */
  folderName: string;
  name?: string;
  /** Absent in manifests of test harnesses and examples: such a worker can be collected, not published. */
  deploy?: DeployKind;
  /** `bin ?? name ?? folder`: the binary and release-asset name. */
  bin: string;
  language?: string;
  /** The language manifest that holds the version, relative to `dir`. */
  manifest?: LanguageManifestFile;
  /** `''` when the key is absent, `null` when it is present with no value (as the publish scripts sent it). */
  description: string | null;
  /** SPDX license expression, e.g. `Apache-2.0`; undefined when absent. */
  license?: string;
  /** The registry's "experimental" badge: always a real boolean (absent = false). */
  experimental: boolean;
  /** `tags`, stripped, lower-cased and de-duplicated in first-seen order; `[]` when absent. */
  tags: string[];
  /** Inline `config` mapping; when present it wins over `config.yaml`. Undefined when absent or null. */
  config?: Record<string, unknown>;
  /** Raw `dependencies` (map or list); normalized by the payload builder. */
  dependencies?: unknown;
  runtime?: WorkerRuntime;
  /** Only non-blank scripts are kept. */
  scripts: WorkerScripts;
  env: Record<string, string>;
  /** The parsed YAML mapping, for keys not modelled here (`iii`, `resources`, `tags`, ...). */
  raw: Record<string, unknown>;
}
