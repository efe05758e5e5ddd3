import { basename, join, relative } from 'node:path';
import { readWorkerVersion } from '../../../core/manifest';
import { DEFAULT_INTERFACE_FILE, readManifestWithOverrides } from '../../collect-interface/lib/normalize-options';
import { DEFAULT_API_URL } from '../../publish-interface/lib/normalize-options';
import { ExecutorInputError } from '../../shared/executor-input-error';
import { resolveWorkspacePath, type ProjectLocation } from '../../shared/project-context';
import { readOptionValues } from '../../shared/option-values';
import type { InterfaceDiffExecutorSchema } from '../schema';
import diffSchema from '../schema.json';

export const DEFAULT_REPORT_FILE = 'dist/{projectRoot}/interface-diff.md';
const REFERENCES = ['auto', 'registry', 'base'] as const;

/** Where nx.json names the default base branch (Nx 22+ `defaultBase`, older `affected.defaultBase`). */
interface NxJsonBase {
  defaultBase?: string;
  affected?: { defaultBase?: string };
}

export function normalizeDiffOptions(given: InterfaceDiffExecutorSchema, location: ProjectLocation, nxJson: NxJsonBase | undefined, env: NodeJS.ProcessEnv = process.env) {
  const options = readOptionValues(given, diffSchema);
  const manifest = readManifestWithOverrides(location, options);
  const reference = options.reference ?? 'auto';
  if (!(REFERENCES as readonly string[]).includes(reference)) {
    throw new ExecutorInputError(`\`reference\` must be one of ${REFERENCES.join(', ')}, got ${JSON.stringify(reference)}`);
  }
  const registryTimeoutSeconds = options.registryTimeoutSeconds ?? 30;
  const reportFile = resolveWorkspacePath(location, options.reportFile ?? DEFAULT_REPORT_FILE);
  const outputFile = options.outputFile ?? DEFAULT_INTERFACE_FILE;
  return {
    location,
    worker: options.worker ?? basename(location.projectRoot),
    version: options.version ?? readWorkerVersion(manifest),
    manifestLabel: relative(location.workspaceRoot, manifest.manifest ? join(manifest.dir, manifest.manifest) : manifest.file),
    reference,
    registryTag: options.registryTag ?? 'latest',
    apiUrl: options.apiUrl ?? DEFAULT_API_URL,
    registryTimeoutMs: registryTimeoutSeconds * 1000,
    base: options.base ?? defaultBase(nxJson, env),
    allowBreakingChanges: options.allowBreakingChanges ?? false,
    /** Workspace-relative, with the project root filled in: the same path inside a worktree of the base commit. */
    interfacePath: relative(location.workspaceRoot, resolveWorkspacePath(location, outputFile)),
    interfaceFile: resolveWorkspacePath(location, outputFile),
    markdownFile: reportFile,
    jsonFile: reportFile.replace(/(\.md)?$/, '.json'),
  };
}

export type NormalizedDiffOptions = ReturnType<typeof normalizeDiffOptions>;

/** The base a pull request merges into, as `nx affected` and GitHub Actions name it. */
function defaultBase(nxJson: NxJsonBase | undefined, env: NodeJS.ProcessEnv): string {
  if (env.NX_BASE) return env.NX_BASE;
  if (env.GITHUB_BASE_REF) return `origin/${env.GITHUB_BASE_REF}`;
  return nxJson?.defaultBase ?? nxJson?.affected?.defaultBase ?? 'main';
}
