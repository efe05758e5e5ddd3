import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ManifestError } from './manifest-error';
import { readTomlKey } from './toml-key';
import type { WorkerManifest } from './worker-manifest';

type VersionSource = Pick<WorkerManifest, 'dir' | 'file' | 'manifest' | 'raw'>;

/**
 * The worker's version, from the language manifest that `iii.worker.yaml` names (`manifest:`), the
 * source of truth the release tooling bumps. Read on demand: only publishing needs it.
 */
export function readWorkerVersion(worker: VersionSource): string {
  if (!worker.manifest) {
    // Dev manifests without a language manifest sometimes carry the version themselves.
    const own = worker.raw.version;
    if (typeof own === 'string' && own.trim()) return own.trim();
    throw new ManifestError(
      `${worker.file} has no \`manifest\` key, so the worker's version is unknown. ` +
        'Add `manifest: Cargo.toml`, `manifest: package.json` or `manifest: pyproject.toml` naming the file that holds the version, or pass the `version` option.',
      worker.file,
      'manifest',
    );
  }
  const file = join(worker.dir, worker.manifest);
  const text = readLanguageManifest(file, worker.file);
  switch (worker.manifest) {
    case 'Cargo.toml':
      return versionFromCargo(text, file, worker.dir);
    case 'package.json':
      return versionFromPackageJson(text, file);
    case 'pyproject.toml':
      return versionFromPyproject(text, file);
  }
}

function readLanguageManifest(file: string, workerManifestFile: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
    throw new ManifestError(
      `${workerManifestFile} names \`manifest\` ${file}, but ${reason}. Fix \`manifest\` or add the file.`,
      file,
      'manifest',
    );
  }
}

function versionFromCargo(text: string, file: string, workerDir: string): string {
  const found = readTomlKey(text, 'package', 'version');
  if (found?.kind === 'string' && found.value.trim()) return found.value.trim();
  if (found?.kind === 'workspace') return versionFromCargoWorkspace(file, workerDir);
  throw missingVersion(file, '[package] version', 'package.version', found?.kind === 'other' ? found.text : undefined);
}

/** `version.workspace = true`: the version lives in `[workspace.package]` of the enclosing workspace. */
function versionFromCargoWorkspace(memberFile: string, workerDir: string): string {
  for (let dir = workerDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'Cargo.toml');
    if (existsSync(candidate)) {
      const text = readFileSync(candidate, 'utf8');
      const found = readTomlKey(text, 'workspace.package', 'version');
      if (found?.kind === 'string' && found.value.trim()) return found.value.trim();
      if (/^\s*\[workspace\]/m.test(text)) {
        throw missingVersion(candidate, `[workspace.package] version (inherited by ${memberFile})`, 'workspace.package.version');
      }
    }
    if (dirname(dir) === dir) break;
  }
  throw new ManifestError(
    `${memberFile} inherits its version from a Cargo workspace (\`version.workspace = true\`), but no enclosing Cargo.toml has \`[workspace.package] version\`. Set the version in [package] or pass the \`version\` option.`,
    memberFile,
    'package.version',
  );
}

function versionFromPackageJson(text: string, file: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${file} is not valid JSON (${(error as Error).message}). Fix it to read the worker's version.`, file);
  }
  const version = (parsed as { version?: unknown } | null)?.version;
  if (typeof version === 'string' && version.trim()) return version.trim();
  throw missingVersion(file, '"version"', 'version', version === undefined ? undefined : JSON.stringify(version));
}

function versionFromPyproject(text: string, file: string): string {
  const project = readTomlKey(text, 'project', 'version');
  if (project?.kind === 'string' && project.value.trim()) return project.value.trim();
  const poetry = readTomlKey(text, 'tool.poetry', 'version');
  if (poetry?.kind === 'string' && poetry.value.trim()) return poetry.value.trim();
  const dynamic = readTomlKey(text, 'project', 'dynamic');
  if (dynamic?.kind === 'other' && /["']version["']/.test(dynamic.text)) {
    throw new ManifestError(
      `${file} declares its version as dynamic ([project] dynamic = ["version"]), so it cannot be read statically. Pass the \`version\` option or set [project] version.`,
      file,
      'project.version',
    );
  }
  throw missingVersion(file, '[project] version', 'project.version', project?.kind === 'other' ? project.text : undefined);
}

function missingVersion(file: string, label: string, key: string, got?: string): ManifestError {
  const found = got === undefined ? 'it is missing' : `got ${got}`;
  return new ManifestError(
    `${file}: ${label} must be a non-empty string (${found}). Set the version there, or pass the \`version\` option.`,
    file,
    key,
  );
}
