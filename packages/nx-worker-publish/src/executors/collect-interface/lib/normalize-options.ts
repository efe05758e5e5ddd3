import { basename, join, relative } from 'node:path';
import type { CollectRequest } from '../../../core/collect/collect-worker-interface';
import type { EngineChoice } from '../../../core/collect/start-engine';
import { parseEngineGeneration } from '../../../core/engine/generation';
import { readWorkerManifest, readWorkerVersion, unknownKeyWarnings, versionMismatchWarning, type WorkerManifest } from '../../../core/manifest';
import { SAFE_BIN } from '../../../core/manifest/read-worker-manifest';
import { DEPLOY_KINDS } from '../../../core/manifest/worker-manifest';
import type { Reporter } from '../../../core/reporter/step-reporter';
import { releaseTagVersionWarning, resolveRepoUrl } from '../../../core/release-info';
import { withheldEnvNames } from '../../../core/worker-process/withheld-env';
import { ExecutorInputError } from '../../shared/executor-input-error';
import { githubTokenFor } from '../../shared/github-token';
import { resolveWorkspacePath, type ProjectLocation } from '../../shared/project-context';
import { readOptionValues } from '../../shared/option-values';
import type { CollectInterfaceExecutorSchema } from '../schema';
import collectSchema from '../schema.json';

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
      const requested = String(options.engineGeneration ?? 'auto');
      const generation = requested === 'auto' ? 'auto' : parseEngineGeneration(requested);
      if (!generation) {
        throw new ExecutorInputError(
          `\`engineGeneration\` must be auto (the default: the generation of the worker's iii-sdk line), 0.26, 0.25, 0.23, 0.13 or 0.11 ` +
            `(or the old names current / legacy), got "${options.engineGeneration}"`,
        );
      }
      return { kind: 'embedded', generation, logFile: join(logDir, 'engine', 'engine.log'), logMaxBytes };
    }
    default:
      throw new ExecutorInputError(`\`engine\` must be embedded, external or url, got "${options.engine}"`);
  }
}

/** Turns target options and the workspace into one fully resolved collection request. */
export async function normalizeCollectOptions(
  given: CollectInterfaceExecutorSchema,
  location: ProjectLocation,
  reporter: Reporter,
  /** The `apiKeyEnv` of every publish target of the workspace. */
  workspaceKeyEnvs: string[] = [],
): Promise<CollectRequest> {
  const options = readOptionValues(given, collectSchema);
  const manifest = readManifestWithOverrides(location, options);
  for (const warning of [...unknownKeyWarnings(manifest), versionMismatchWarning(manifest)]) if (warning) reporter.warn(warning);
  // Bundles may bootstrap themselves in scripts.start (pip install, browser downloads): the workflow waited 600 s.
  const waitSeconds = options.waitSeconds ?? (manifest.deploy === 'bundle' ? 600 : 120);
  // A worker (or an external engine) may print its environment to its log: the secrets this run holds are not its business.
  const withheldEnv = withheldEnvNames({
    apiKeyEnvs: [(options as { apiKeyEnv?: string }).apiKeyEnv, ...workspaceKeyEnvs],
    withholdEnv: readWithholdEnv(options.withholdEnv),
  });
  const logMiB = positiveOption(options, 'logMaxMiB');
  const logMaxBytes = logMiB === undefined ? undefined : Math.floor(logMiB * 1024 * 1024);
  const settleSeconds = options.settleSeconds ?? 1;
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
      compile: { profile: cargoProfile(options), locked: options.cargoLocked === true, timeoutMs: secondsOption(options, 'compileSeconds') },
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

type LimitOption = 'compileSeconds' | 'downloadTimeoutSeconds' | 'downloadIdleTimeoutSeconds' | 'maxArchiveBytes' | 'maxArchiveEntries' | 'maxArchivePathDepth' | 'logMaxMiB';

/** A limit option: absent (the default applies) or a positive number (`readOptionValues` checked it, schema `exclusiveMinimum`). */
export function positiveOption(options: CollectInterfaceExecutorSchema, name: LimitOption): number | undefined {
  return options[name];
}

/** A cargo profile name (dev, release, or a custom one), as cargo accepts it. */
function cargoProfile(options: CollectInterfaceExecutorSchema): string | undefined {
  const value = options.cargoProfile;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) {
    throw new ExecutorInputError(`\`cargoProfile\` must be a cargo profile name such as dev or release, got ${JSON.stringify(value)}`);
  }
  return value;
}

const secondsOption = (options: CollectInterfaceExecutorSchema, name: LimitOption) => {
  const seconds = positiveOption(options, name);
  return seconds === undefined ? undefined : seconds * 1000;
};
