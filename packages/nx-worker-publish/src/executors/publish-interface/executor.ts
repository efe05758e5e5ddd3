import type { ExecutorContext } from '@nx/devkit';
import { relative } from 'node:path';
import { writeFileAtomic } from '../../core/fs/write-file-atomic';
import { readWorkerConfig, readWorkerReadme } from '../../core/manifest';
import { buildPublishPayload, markdownSummary, serializePayload, summarizePayload } from '../../core/payload';
import { publishToRegistry, resolveApiKey } from '../../core/registry';
import { resolveBinariesMap } from '../../core/release-assets';
import { consoleReporter, timedStep, type Reporter } from '../../core/reporter/step-reporter';
import { reportFailure } from '../shared/report-failure';
import { appendStepSummary } from './lib/github-step-summary';
import { normalizePublishOptions, type NormalizedPublishOptions } from './lib/normalize-options';
import { readInterfaceFile } from './lib/read-interface-file';
import type { PublishInterfaceExecutorSchema } from './schema';

export default async function publishInterfaceExecutor(
  options: PublishInterfaceExecutorSchema,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const reporter = consoleReporter(context.isVerbose);
  try {
    const resolved = await normalizePublishOptions(options, context);
    // Checked before any network call: a missing key should not cost a checksum round-trip to find out.
    const apiKey = resolved.dryRun ? undefined : resolveApiKey(process.env, resolved.apiKeyEnv);
    const payload = await buildPayload(resolved, reporter, `${context.projectName}:collect-interface`);
    const body = serializePayload(payload);
    await writeFileAtomic(resolved.payloadFile, body);
    const payloadPath = relative(resolved.location.workspaceRoot, resolved.payloadFile);
    for (const line of summarizePayload(payload)) reporter.info(`  ${line}`);

    if (apiKey === undefined) {
      reporter.info(`✔ dry run: payload written to ${payloadPath}; nothing was sent to ${resolved.apiUrl}`);
      return { success: true };
    }
    await timedStep(
      reporter,
      {},
      'publish',
      () => publishToRegistry({ apiUrl: resolved.apiUrl, payload: body, apiKey, apiKeyEnv: resolved.apiKeyEnv, log: (line) => reporter.warn(line) }),
      (r) => `published ${resolved.worker} ${resolved.version} to ${resolved.apiUrl} (HTTP ${r.status}${r.attempts > 1 ? `, after ${r.attempts} attempts` : ''})`,
    );
    appendStepSummary(markdownSummary(payload), (line) => reporter.warn(line));
    return { success: true };
  } catch (error) {
    reportFailure(reporter, `could not publish ${context.projectName}`, error, context.isVerbose);
    return { success: false };
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
