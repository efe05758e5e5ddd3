import { relative } from 'node:path';
import type { Dispatcher } from 'undici';
import { writeFileAtomic } from '../../../core/fs/write-file-atomic';
import type { WorkerInterface } from '../../../core/interface/worker-interface';
import { readWorkerReadme } from '../../../core/manifest';
import {
  buildPublishPayload,
  findUntypedSchemas,
  markdownSummary,
  PayloadError,
  resolveImageTag,
  resolvePayloadConfig,
  serializePayload,
  summarizePayload,
} from '../../../core/payload';
import { parentGuard, publishToRegistry, readSkillsSnapshot, resolveApiKey } from '../../../core/registry';
import { resolveBinariesMap, resolveBundleAsset } from '../../../core/release-assets';
import { checkInterfaceOrigin } from '../../../core/release-info';
import { shortList, SHORT_LIST_LENGTH } from '../../../core/reporter/short-list';
import { timedStep, type Reporter } from '../../../core/reporter/step-reporter';
import type { RunTarget } from '../../shared/project-context';
import { checkPublishPrerequisitesFor } from '../../shared/publish-prerequisites';
import { reportFailure } from '../../shared/report-failure';
import { appendStepSummary } from './github-step-summary';
import { normalizePublishOptions, type NormalizedPublishOptions } from './normalize-options';
import { readInterfaceFile } from './read-interface-file';
import type { PublishInterfaceExecutorSchema } from '../schema';

/** One publish, reported through `reporter`; failures are reported there too and answered with `false`. */
export async function runPublish(options: PublishInterfaceExecutorSchema, target: RunTarget, reporter: Reporter): Promise<boolean> {
  // An orphaned task (nx killed) must not go on writing to the registry: every write asks first.
  const stopBeforeWrite = parentGuard();
  try {
    await checkPublishPrerequisitesFor(options, target.locate()); // every problem in one message
    const resolved = await normalizePublishOptions(options, target.locate(), target.readRegistryTag);
    for (const line of resolved.warnings) reporter.warn(line);
    // Checked before any network call: a missing key should not cost a checksum round-trip to find out.
    const apiKey = resolved.dryRun ? (process.env[resolved.apiKeyEnv] || undefined) : resolveApiKey(process.env, resolved.apiKeyEnv);
    const { iface, collectedFrom } = readInterfaceFile(resolved.interfaceFile, target.collectHint);
    const originWarning = checkInterfaceOrigin({
      deploy: resolved.manifest.deploy,
      tag: resolved.tag,
      collectedFrom,
      dryRun: resolved.dryRun,
      interfaceLabel: relative(resolved.location.workspaceRoot, resolved.interfaceFile),
      releaseCommand: target.releaseCommand(resolved.tag),
    });
    if (originWarning) reporter.warn(originWarning);
    checkTypedSchemas(iface, resolved.requireTypedSchemas, reporter);
    const payload = await buildPayload(resolved, iface, reporter, target.releaseDispatcher?.());
    const body = serializePayload(payload);
    await writeFileAtomic(resolved.payloadFile, body);
    const payloadPath = relative(resolved.location.workspaceRoot, resolved.payloadFile);
    for (const line of summarizePayload(payload)) reporter.info(`  ${line}`);
    const skills = resolved.skipSkills ? undefined : readSkillsSnapshot(resolved.workerDir, resolved.skillsDir);
    for (const blank of skills?.blank ?? []) reporter.warn(`⚠ skill document ${blank} is blank: left out of the skills snapshot`);

    const report = await timedStep(
      reporter,
      {},
      'publish',
      () =>
        publishToRegistry({
          apiUrl: resolved.apiUrl,
          apiKey,
          apiKeyEnv: resolved.apiKeyEnv,
          payload,
          payloadText: body,
          registryTag: resolved.registryTag,
          skills: skills?.skills,
          stopBeforeWrite,
          allowBreakingChanges: resolved.allowBreakingChanges,
          dryRun: resolved.dryRun,
          timeoutMs: resolved.publishTimeoutSeconds * 1000,
          log: (line) => reporter.info(`  ${line}`),
          warn: (line) => reporter.warn(line),
        }),
      (r) => (resolved.dryRun ? `dry run against ${resolved.apiUrl} (${COMPARISON_WORDS[r.comparison]})` : `publication verified against ${resolved.apiUrl}`),
    );
    for (const line of report.lines) reporter.info(`✔ ${line}`);
    if (resolved.dryRun) {
      reporter.info(`✔ dry run: payload written to ${payloadPath}; nothing was written to ${resolved.apiUrl}`);
      return true;
    }
    appendStepSummary(markdownSummary(payload, report.lines), (line) => reporter.warn(line));
    return true;
  } catch (error) {
    reportFailure(reporter, `could not publish ${target.label}`, error, target.isVerbose);
    return false;
  }
}

/** What the dry run's comparison with the channel's current version came to, in words. */
const COMPARISON_WORDS = {
  compared: 'interface compared with the current version',
  'no-current-version': 'no current version to compare with',
  skipped: 'comparison skipped',
} as const;

/** The typed-schema gate (issue 9 §3): untyped function schemas warn, or fail with `requireTypedSchemas`. */
function checkTypedSchemas(iface: WorkerInterface, required: boolean, reporter: Reporter): void {
  const untyped = findUntypedSchemas(iface);
  if (untyped.functions.length > 0) {
    const list = untyped.functions.join(', ');
    if (required) {
      throw new PayloadError(
        `untyped (AnyValue/empty) schemas: ${list}. requireTypedSchemas is on, so nothing was published. Register each handler with a typed ` +
          'schema (e.g. a struct deriving schemars::JsonSchema, or a zod object), then collect again.',
      );
    }
    reporter.warn(`⚠ untyped (AnyValue/empty) schemas, published as "unknown" in the registry: ${shortList(untyped.functions)}`);
    if (untyped.functions.length > SHORT_LIST_LENGTH) reporter.verbose(`  all untyped schemas: ${list}`);
  }
  if (untyped.triggers.length > 0) {
    reporter.warn(`⚠ trigger types publishing without a typed invocation_schema (rendered "unknown" in the registry): ${shortList(untyped.triggers)}`);
  }
}

async function buildPayload(resolved: NormalizedPublishOptions, iface: WorkerInterface, reporter: Reporter, dispatcher: Dispatcher | undefined) {
  const { manifest } = resolved;
  const image =
    manifest.deploy === 'image' && resolved.imageTag
      ? resolveImageTag({ template: resolved.imageTag, version: resolved.version, requireImageDigest: resolved.requireImageDigest, dryRun: resolved.dryRun })
      : undefined;
  for (const line of image?.warnings ?? []) reporter.warn(line);
  const binaries =
    manifest.deploy === 'binary'
      ? await timedStep(
          reporter,
          {},
          'binaries',
          () =>
            resolveBinariesMap({
              releaseBaseUrl: resolved.releaseBaseUrl,
              tag: resolved.tag,
              bin: manifest.bin,
              targets: resolved.targets,
              allowMissingTargets: resolved.allowMissingTargets,
              githubToken: resolved.githubToken,
              log: (line) => reporter.warn(line),
              dispatcher,
            }),
          (map) => `checksums of ${Object.keys(map).length} release targets fetched`,
        )
      : undefined;
  const bundle =
    manifest.deploy === 'bundle'
      ? await timedStep(
          reporter,
          {},
          'bundle',
          () =>
            resolveBundleAsset({
              releaseBaseUrl: resolved.releaseBaseUrl,
              tag: resolved.tag,
              worker: resolved.worker,
              githubToken: resolved.githubToken,
              log: (line) => reporter.warn(line),
              dispatcher,
            }),
          (asset) => `bundle checksum fetched (${asset.archiveUrl})`,
        )
      : undefined;
  return buildPublishPayload({
    workerName: resolved.worker,
    version: resolved.version,
    deploy: manifest.deploy,
    readme: readWorkerReadme(resolved.workerDir),
    repoUrl: resolved.repoUrl,
    description: manifest.raw.description,
    license: manifest.license,
    tags: manifest.tags,
    experimental: manifest.experimental,
    dependencies: manifest.dependencies,
    config: resolvePayloadConfig(manifest, resolved.workerDir),
    iface,
    binaries,
    imageTag: image?.imageTag ?? resolved.imageTag,
    requireImageDigest: resolved.requireImageDigest,
    bundle,
    manifestLabel: resolved.manifestLabel,
  });
}
