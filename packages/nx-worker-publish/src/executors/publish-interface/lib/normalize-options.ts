import { basename, join, relative } from 'node:path';
import { readWorkerVersion } from '../../../core/manifest';
import { DEFAULT_API_KEY_ENV, DEFAULT_PUBLISH_TIMEOUT_SECONDS, DEFAULT_SKILLS_DIR, REGISTRY_CHANNELS, type RegistryChannel } from '../../../core/registry';
import { defaultTag, parseReleaseTag, readRegistryTag, resolveReleaseVersion, resolveRepoUrl, type RegistryTagReader } from '../../../core/release-info';
import { readManifestWithOverrides, DEFAULT_INTERFACE_FILE } from '../../collect-interface/lib/normalize-options';
import { ExecutorInputError } from '../../shared/executor-input-error';
import { githubTokenFor } from '../../shared/github-token';
import { resolveWorkspacePath, type ProjectLocation } from '../../shared/project-context';
import { readOptionValues } from '../../shared/option-values';
import type { PublishInterfaceExecutorSchema } from '../schema';
import publishSchema from '../schema.json';

export const DEFAULT_PAYLOAD_FILE = 'dist/{projectRoot}/publish-payload.json';
export const DEFAULT_API_URL = 'https://api.workers.iii.dev';

/** Everything the publish needs, each value taken from options first, then the manifest, git and CI, then defaults. */
export async function normalizePublishOptions(given: PublishInterfaceExecutorSchema, location: ProjectLocation, readTag: RegistryTagReader = readRegistryTag) {
  const options = readOptionValues(given, publishSchema);
  const manifest = readManifestWithOverrides(location, options);
  const worker = options.worker ?? basename(location.projectRoot);
  const manifestLabel = relative(location.workspaceRoot, manifest.file);
  const { version, warnings } = resolveReleaseVersion({
    option: options.version,
    fromTag: versionFromTag(options.tag, worker),
    tag: options.tag,
    fromManifest: () => readWorkerVersion(manifest),
    manifestLabel: manifest.manifest ? relative(location.workspaceRoot, join(manifest.dir, manifest.manifest)) : manifestLabel,
  });
  const tag = options.tag ?? defaultTag(worker, version);
  const [registryTag, repoUrl] = await Promise.all([
    options.registryTag ?? readTag({ cwd: location.workspaceRoot, tag }),
    options.repoUrl ?? resolveRepoUrl({ cwd: location.workspaceRoot, env: process.env }),
  ]);
  const releaseBaseUrl = options.releaseBaseUrl ?? `${repoUrl}/releases/download`;
  const publishTimeoutSeconds = options.publishTimeoutSeconds ?? DEFAULT_PUBLISH_TIMEOUT_SECONDS;
  return {
    location,
    manifest,
    manifestLabel,
    worker,
    version,
    warnings,
    tag,
    registryTag: checkRegistryTag(registryTag, options.registryTag !== undefined, tag),
    repoUrl,
    releaseBaseUrl,
    imageTag: options.imageTag,
    requireImageDigest: options.requireImageDigest ?? false,
    requireTypedSchemas: options.requireTypedSchemas ?? false,
    allowBreakingChanges: options.allowBreakingChanges ?? false,
    publishTimeoutSeconds,
    targets: options.targets,
    allowMissingTargets: options.allowMissingTargets ?? false,
    apiUrl: options.apiUrl ?? DEFAULT_API_URL,
    apiKeyEnv: options.apiKeyEnv ?? DEFAULT_API_KEY_ENV,
    dryRun: isDryRun(options),
    interfaceFile: resolveWorkspacePath(location, options.outputFile ?? DEFAULT_INTERFACE_FILE),
    payloadFile: resolveWorkspacePath(location, options.payloadFile ?? DEFAULT_PAYLOAD_FILE),
    githubToken: githubTokenFor(releaseBaseUrl, process.env),
    workerDir: join(location.workspaceRoot, location.projectRoot),
    skillsDir: options.skillsDir ?? DEFAULT_SKILLS_DIR,
    skipSkills: options.skipSkills ?? false,
  };
}

/** The `dryRun` option, or Nx's `NX_DRY_RUN`: the payload is written, nothing is sent. */
export function isDryRun(options: Pick<PublishInterfaceExecutorSchema, 'dryRun'>): boolean {
  return options.dryRun === true || process.env.NX_DRY_RUN === 'true';
}

export type NormalizedPublishOptions = Awaited<ReturnType<typeof normalizePublishOptions>>;

function checkRegistryTag(value: string, fromOption: boolean, tag: string): RegistryChannel {
  const channel = value.trim();
  if ((REGISTRY_CHANNELS as readonly string[]).includes(channel)) return channel as RegistryChannel;
  const source = fromOption ? 'The `registryTag` option' : `The \`registry-tag:\` line of the annotated tag ${tag}`;
  throw new ExecutorInputError(`${source} is "${channel}", but the registry's channels are ${REGISTRY_CHANNELS.join(', ')} (none moves no channel).`);
}

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
