import { basename, join, relative } from 'node:path';
import { readWorkerVersion } from '../../../core/manifest';
import { DEFAULT_API_KEY_ENV } from '../../../core/registry';
import { defaultTag, parseReleaseTag, readRegistryTag, resolveRepoUrl } from '../../../core/release-info';
import { readManifestWithOverrides, DEFAULT_INTERFACE_FILE } from '../../collect-interface/lib/normalize-options';
import { githubTokenFor } from '../../shared/github-token';
import { resolveWorkspacePath, type ProjectLocation } from '../../shared/project-context';
import type { PublishInterfaceExecutorSchema } from '../schema';

export const DEFAULT_PAYLOAD_FILE = 'dist/{projectRoot}/publish-payload.json';
export const DEFAULT_API_URL = 'https://api.workers.iii.dev';

/** Everything the publish needs, each value taken from options first, then the manifest, git and CI, then defaults. */
export async function normalizePublishOptions(options: PublishInterfaceExecutorSchema, location: ProjectLocation) {
  const manifest = readManifestWithOverrides(location, options);
  const worker = options.worker ?? basename(location.projectRoot);
  const version = options.version ?? versionFromTag(options.tag, worker) ?? readWorkerVersion(manifest);
  const tag = options.tag ?? defaultTag(worker, version);
  const [registryTag, repoUrl] = await Promise.all([
    options.registryTag ?? readRegistryTag({ cwd: location.workspaceRoot, tag }),
    options.repoUrl ?? resolveRepoUrl({ cwd: location.workspaceRoot, env: process.env }),
  ]);
  const releaseBaseUrl = options.releaseBaseUrl ?? `${repoUrl}/releases/download`;
  return {
    location,
    manifest,
    manifestLabel: relative(location.workspaceRoot, manifest.file),
    worker,
    version,
    tag,
    registryTag,
    repoUrl,
    releaseBaseUrl,
    imageTag: options.imageTag,
    targets: options.targets,
    allowMissingTargets: options.allowMissingTargets ?? false,
    apiUrl: options.apiUrl ?? DEFAULT_API_URL,
    apiKeyEnv: options.apiKeyEnv ?? DEFAULT_API_KEY_ENV,
    dryRun: options.dryRun === true || process.env.NX_DRY_RUN === 'true',
    interfaceFile: resolveWorkspacePath(location, options.outputFile ?? DEFAULT_INTERFACE_FILE),
    payloadFile: resolveWorkspacePath(location, options.payloadFile ?? DEFAULT_PAYLOAD_FILE),
    githubToken: githubTokenFor(releaseBaseUrl, process.env),
    workerDir: join(location.workspaceRoot, location.projectRoot),
  };
}

export type NormalizedPublishOptions = Awaited<ReturnType<typeof normalizePublishOptions>>;

/**
 * A release tag `<worker>/v<version>` names the version being released, as the release workflow read it: publishing
 * the 1.5.0 binaries under the manifest's 1.4.0 would be wrong.
 */
export function versionFromTag(tag: string | undefined, worker: string): string | undefined {
  if (!tag) return undefined;
  try {
    const parsed = parseReleaseTag(tag);
    return parsed.worker === worker ? parsed.version : undefined;
  } catch {
    return undefined; // a tag of another shape still names the release, but not a version
  }
}
