import { basename } from 'node:path';
import { DEFAULT_API_KEY_ENV, DEFAULT_PUBLISH_TIMEOUT_SECONDS, finalizeToRegistry, isPureVersion, parentGuard, resolveApiKey } from '../../../core/registry';
import { parseReleaseTag, readRegistryTag } from '../../../core/release-info';
import type { Reporter } from '../../../core/reporter/step-reporter';
import { ExecutorInputError } from '../../shared/executor-input-error';
import type { RunTarget } from '../../shared/project-context';
import { reportFailure } from '../../shared/report-failure';
import { DEFAULT_API_URL, isDryRun } from '../../publish-interface/lib/normalize-options';
import { readOptionValues } from '../../shared/option-values';
import type { FinalizeReleaseExecutorSchema } from '../schema';
import finalizeSchema from '../schema.json';

/** One finalization, reported through `reporter`; failures are reported there too and answered with `false`. */
export async function runFinalize(given: FinalizeReleaseExecutorSchema, target: RunTarget, reporter: Reporter): Promise<boolean> {
  const stopBeforeWrite = parentGuard();
  try {
    const options = readOptionValues(given, finalizeSchema);
    const location = target.locate();
    const release = await checkRelease(options, location.projectRoot, location.workspaceRoot);
    const apiUrl = options.apiUrl ?? DEFAULT_API_URL;
    const apiKeyEnv = options.apiKeyEnv ?? DEFAULT_API_KEY_ENV;
    const dryRun = isDryRun(options);
    const apiKey = dryRun ? process.env[apiKeyEnv] || undefined : resolveApiKey(process.env, apiKeyEnv);
    reporter.info(`  finalizing ${release.worker} ${release.stable} (tag ${release.tag}, channel ${release.channel}) against ${apiUrl}`);
    const report = await finalizeToRegistry({
      apiUrl,
      apiKey,
      apiKeyEnv,
      worker: release.worker,
      stable: release.stable,
      candidate: options.candidate,
      dryRun,
      timeoutMs: (options.publishTimeoutSeconds ?? DEFAULT_PUBLISH_TIMEOUT_SECONDS) * 1000,
      stopBeforeWrite,
      log: (line) => reporter.info(`  ${line}`),
    });
    for (const line of report.lines) reporter.info(`✔ ${line}`);
    return true;
  } catch (error) {
    reportFailure(reporter, `could not finalize the release of ${target.label}`, error, target.isVerbose);
    return false;
  }
}

/**
 * The release tag's rules, before any request (spec publish-pipeline-later §5.3, §5.4): a `<worker>/vX.Y.Z` tag of
 * this worker, whose `registry-tag` is `next` or `latest` and whose version fits that channel; a finalization
 * mints a pure version, so only `latest` fits.
 */
async function checkRelease(options: FinalizeReleaseExecutorSchema, projectRoot: string, workspaceRoot: string) {
  if (!options.tag) {
    throw new ExecutorInputError('finalize-release needs the stable release tag: `nx run <worker>:finalize-release --tag=<worker>/vX.Y.Z`.');
  }
  const worker = options.worker ?? basename(projectRoot);
  const parsed = parseReleaseTag(options.tag);
  if (parsed.worker !== worker) {
    throw new ExecutorInputError(`The tag ${parsed.tag} names worker ${parsed.worker}, but this project publishes ${worker}: pass ${worker}/v<version>.`);
  }
  const channel = (options.registryTag ?? (await readRegistryTag({ cwd: workspaceRoot, tag: parsed.tag }))).trim();
  const source = options.registryTag !== undefined ? 'The `registryTag` option' : `The \`registry-tag:\` line of the annotated tag ${parsed.tag}`;
  if (channel !== 'next' && channel !== 'latest') throw new ExecutorInputError(`${source} is "${channel}", but it must be next or latest.`);
  if (!isPureVersion(parsed.version)) {
    throw new ExecutorInputError(
      `${parsed.tag} is not a stable release tag: finalize-release mints a pure MAJOR.MINOR.PATCH version, got ${parsed.version}. ` +
        `Release candidates are published with publish-interface to next; finalize with the stable tag, e.g. ${worker}/v${parsed.version.replace(/-.*$/, '')}.`,
    );
  }
  if (channel === 'next') {
    throw new ExecutorInputError(`${source} is "next", but next takes only prerelease versions and ${parsed.version} is stable: tag the finalization for latest (a \`registry-tag: latest\` line, or no such line).`);
  }
  return { worker, tag: parsed.tag, stable: parsed.version, channel };
}
