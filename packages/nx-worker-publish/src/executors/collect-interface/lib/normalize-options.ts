import { basename, join, relative } from 'node:path';
import type { CollectRequest } from '../../../core/collect/collect-worker-interface';
import type { EngineChoice } from '../../../core/collect/start-engine';
import { DEFAULT_ENGINE_GENERATION, parseEngineGeneration } from '../../../core/engine/generation';
import { readWorkerManifest, readWorkerVersion, unknownKeyWarnings, versionMismatchWarning, type WorkerManifest } from '../../../core/manifest';
import { SAFE_BIN } from '../../../core/manifest/read-worker-manifest';
import { DEPLOY_KINDS } from '../../../core/manifest/worker-manifest';
import type { Reporter } from '../../../core/reporter/step-reporter';
import { releaseTagVersionWarning, resolveRepoUrl } from '../../../core/release-info';
import { withheldEnvNames } from '../../../core/worker-process/withheld-env';
import { ExecutorInputError } from '../../shared/executor-input-error';
import { githubTokenFor } from '../../shared/github-token';
import { resolveWorkspacePath, type ProjectLocation } from '../../shared/project-context';
import type { CollectInterfaceExecutorSchema } from '../schema';

export const DEFAULT_INTERFACE_FILE = 'dist/{projectRoot}/worker-interface.json';

/** iii.worker.yaml with the target's `deploy`/`bin` options laid over it (options win, as for every setting). */
export function readManifestWithOverrides(location: ProjectLocation, options: { deploy?: string; bin?: string }): WorkerManifest {
  assertManifestOverrides(options);
  const manifest = readWorkerManifest(join(location.workspaceRoot, location.projectRoot));
  return { ...manifest, deploy: (options.deploy as WorkerManifest['deploy']) ?? manifest.deploy, bin: options.bin ?? manifest.bin };
}

/** An option that replaces a manifest key obeys that key's rules: `--bin ../../usr/bin/id` must not pick a binary. */
function assertManifestOverrides(options: { deploy?: unknown; bin?: unknown }): void {
  if (options.bin !== undefined && (typeof options.bin !== 'string' || !SAFE_BIN.test(options.bin))) {
    throw new ExecutorInputError(
      `the \`bin\` option ${JSON.stringify(options.bin)} must be a plain file name (letters, digits, ".", "_", "+", "-"; no "/"), ` +
        'the same rule as `bin` in iii.worker.yaml. To run a binary from another place, set `binaryPath` instead.',
    );
  }
  if (options.deploy !== undefined && !(DEPLOY_KINDS as readonly unknown[]).includes(options.deploy)) {
    throw new ExecutorInputError(`the \`deploy\` option must be one of ${DEPLOY_KINDS.join(', ')}, got ${JSON.stringify(options.deploy)}`);
  }
}

function engineChoice(options: CollectInterfaceExecutorSchema, logDir: string, withheldEnv: string[], logMaxBytes?: number): EngineChoice {
  switch (options.engine ?? 'embedded') {
    case 'external':
      return { kind: 'external', command: options.engineCommand ?? 'iii', workDir: join(logDir, 'engine'), withheldEnv, logMaxBytes };
    case 'url':
      if (!options.engineUrl) throw new ExecutorInputError('`engine: url` needs `engineUrl`, the WebSocket URL of a running engine (e.g. ws://127.0.0.1:49134)');
      return { kind: 'url', url: options.engineUrl };
    case 'embedded': {
      const generation = parseEngineGeneration(String(options.engineGeneration ?? DEFAULT_ENGINE_GENERATION));
      if (!generation) {
        throw new ExecutorInputError(`\`engineGeneration\` must be 0.23, 0.13 or 0.11 (or the old names current / legacy), got "${options.engineGeneration}"`);
      }
      return { kind: 'embedded', generation, logFile: join(logDir, 'engine', 'engine.log') };
    }
    default:
      throw new ExecutorInputError(`\`engine\` must be embedded, external or url, got "${options.engine}"`);
  }
}

/** Turns target options and the workspace into one fully resolved collection request. */
export async function normalizeCollectOptions(
  options: CollectInterfaceExecutorSchema,
  location: ProjectLocation,
  reporter: Reporter,
  /** The `apiKeyEnv` of every publish target of the workspace. */
  workspaceKeyEnvs: string[] = [],
): Promise<CollectRequest> {
  const manifest = readManifestWithOverrides(location, options);
  for (const warning of [...unknownKeyWarnings(manifest), versionMismatchWarning(manifest)]) if (warning) reporter.warn(warning);
  // Bundles may bootstrap themselves in scripts.start (pip install, browser downloads): the workflow waited 600 s.
  const waitSeconds = options.waitSeconds ?? (manifest.deploy === 'bundle' ? 600 : 120);
  if (!(waitSeconds > 0)) throw new ExecutorInputError(`\`waitSeconds\` must be a positive number of seconds, got ${options.waitSeconds}`);
  // A worker (or an external engine) may print its environment to its log: the secrets this run holds are not its business.
  const withheldEnv = withheldEnvNames({
    apiKeyEnvs: [(options as { apiKeyEnv?: string }).apiKeyEnv, ...workspaceKeyEnvs],
    withholdEnv: readWithholdEnv(options.withholdEnv),
  });
  const logMiB = positiveOption(options, 'logMaxMiB');
  const logMaxBytes = logMiB === undefined ? undefined : Math.floor(logMiB * 1024 * 1024);
  const settleSeconds = options.settleSeconds ?? 1;
  if (typeof settleSeconds !== 'number' || !(settleSeconds >= 0) || !Number.isFinite(settleSeconds)) {
    throw new ExecutorInputError(
      `\`settleSeconds\` must be a number of seconds ≥ 0 (e.g. 1 or 0.5), got ${JSON.stringify(options.settleSeconds)}: it is how long the ` +
        `worker's registration must stay unchanged before its interface is read`,
    );
  }
  const logDir = options.logDir
    ? resolveWorkspacePath(location, options.logDir)
    : join(location.workspaceRoot, '.nx', 'workspace-data', 'worker-publish', location.projectName);
  // The repository is only needed to find release assets, and asking git costs a process: do it only then.
  const releaseBaseUrl =
    options.releaseBaseUrl ??
    (options.tag ? `${options.repoUrl ?? (await resolveRepoUrl({ cwd: location.workspaceRoot, env: process.env }))}/releases/download` : undefined);
  const worker = options.worker ?? basename(location.projectRoot);
  const tagWarning = releaseTagVersionWarning({
    tag: options.tag,
    worker,
    version: (options as { version?: string }).version,
    readManifestVersion: () => readWorkerVersion(manifest),
    manifestLabel: relative(location.workspaceRoot, join(manifest.dir, manifest.manifest ?? 'iii.worker.yaml')),
  });
  if (tagWarning) reporter.warn(tagWarning);
  return {
    workspaceRoot: location.workspaceRoot,
    projectRoot: location.projectRoot,
    worker,
    manifest,
    launch: {
      launch: options.launch ?? 'auto',
      binaryPath: options.binaryPath ? resolveWorkspacePath(location, options.binaryPath) : undefined,
      tag: options.tag,
      releaseBaseUrl,
      hostTarget: options.hostTarget,
      args: options.args,
      env: options.env,
      cacheDir: options.cacheDir ? resolveWorkspacePath(location, options.cacheDir) : undefined,
      githubToken: githubTokenFor(releaseBaseUrl, process.env),
      downloadTimeouts: {
        totalMs: secondsOption(options, 'downloadTimeoutSeconds'),
        idleMs: secondsOption(options, 'downloadIdleTimeoutSeconds'),
      },
      archiveLimits: {
        maxBytes: positiveOption(options, 'maxArchiveBytes'),
        maxEntries: positiveOption(options, 'maxArchiveEntries'),
        maxDepth: positiveOption(options, 'maxArchivePathDepth'),
      },
      worker,
      withheldEnv,
      logDir,
    },
    engine: engineChoice(options, logDir, withheldEnv, logMaxBytes),
    waitSeconds,
    settleSeconds,
    outputFile: resolveWorkspacePath(location, options.outputFile ?? DEFAULT_INTERFACE_FILE),
    logDir,
    withheldEnv,
    logMaxBytes,
    reporter,
  };
}

function readWithholdEnv(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((name) => typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))) {
    throw new ExecutorInputError(`\`withholdEnv\` must be a list of environment variable names (e.g. ["DB_PASSWORD"]), got ${JSON.stringify(value)}`);
  }
  return value;
}

type LimitOption = 'downloadTimeoutSeconds' | 'downloadIdleTimeoutSeconds' | 'maxArchiveBytes' | 'maxArchiveEntries' | 'maxArchivePathDepth' | 'logMaxMiB';

/** A limit option: absent (the default applies) or a positive number. */
export function positiveOption(options: CollectInterfaceExecutorSchema, name: LimitOption): number | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0)) throw new ExecutorInputError(`\`${name}\` must be a positive number, got ${JSON.stringify(value)}`);
  return value;
}

const secondsOption = (options: CollectInterfaceExecutorSchema, name: LimitOption) => {
  const seconds = positiveOption(options, name);
  return seconds === undefined ? undefined : seconds * 1000;
};
