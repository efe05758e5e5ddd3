import { relative } from 'node:path';
import { writeFileAtomic } from '../../../core/fs/write-file-atomic';
import { readWorkerConfig, readWorkerReadme } from '../../../core/manifest';
import { buildPublishPayload, markdownSummary, serializePayload, summarizePayload } from '../../../core/payload';
import { publishToRegistry, resolveApiKey } from '../../../core/registry';
import { resolveBinariesMap } from '../../../core/release-assets';
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
  try {
    await checkPublishPrerequisitesFor(options, target.locate()); // every problem in one message
    const resolved = await normalizePublishOptions(options, target.locate());
    // Checked before any network call: a missing key should not cost a checksum round-trip to find out.
    const apiKey = resolved.dryRun ? undefined : resolveApiKey(process.env, resolved.apiKeyEnv);
    const payload = await buildPayload(resolved, reporter, target.collectHint);
    const body = serializePayload(payload);
    await writeFileAtomic(resolved.payloadFile, body);
    const payloadPath = relative(resolved.location.workspaceRoot, resolved.payloadFile);
    for (const line of summarizePayload(payload)) reporter.info(`  ${line}`);

    if (apiKey === undefined) {
      reporter.info(`✔ dry run: payload written to ${payloadPath}; nothing was sent to ${resolved.apiUrl}`);
      return true;
    }
    await timedStep(
      reporter,
      {},
      'publish',
      () => publishToRegistry({ apiUrl: resolved.apiUrl, payload: body, apiKey, apiKeyEnv: resolved.apiKeyEnv, log: (line) => reporter.info(`  ${line}`) }),
      (r) => `published ${resolved.worker} ${resolved.version} to ${resolved.apiUrl} (HTTP ${r.status}${r.attempts > 1 ? `, after ${r.attempts} attempts` : ''})`,
    );
    appendStepSummary(markdownSummary(payload), (line) => reporter.warn(line));
    return true;
  } catch (error) {
    reportFailure(reporter, `could not publish ${target.label}`, error, target.isVerbose);
    return false;
  }
}

async function buildPayload(resolved: NormalizedPublishOptions, reporter: Reporter, collectTarget: string) {
  const iface = readInterfaceFile(resolved.interfaceFile, collectTarget);
  const binaries =
    resolved.manifest.deploy === 'binary'
      ? await timedStep(
          reporter,
          {},
          'binaries',
          () =>
            resolveBinariesMap({
              releaseBaseUrl: resolved.releaseBaseUrl,
              tag: resolved.tag,
              bin: resolved.manifest.bin,
              targets: resolved.targets,
              allowMissingTargets: resolved.allowMissingTargets,
              githubToken: resolved.githubToken,
              log: (line) => reporter.warn(line),
            }),
          (map) => `checksums of ${Object.keys(map).length} release targets fetched`,
        )
      : undefined;
  return buildPublishPayload({
    workerName: resolved.worker,
    version: resolved.version,
    registryTag: resolved.registryTag,
    deploy: resolved.manifest.deploy,
    readme: readWorkerReadme(resolved.workerDir),
    repoUrl: resolved.repoUrl,
    description: resolved.manifest.raw.description,
    dependencies: resolved.manifest.dependencies,
    config: readWorkerConfig(resolved.workerDir),
    iface,
    binaries,
    imageTag: resolved.imageTag,
    manifestLabel: resolved.manifestLabel,
  });
}
