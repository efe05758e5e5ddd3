import { basename, join } from 'node:path';
import type { CollectRequest } from '../../../core/collect/collect-worker-interface';
import type { EngineChoice } from '../../../core/collect/start-engine';
import { DEFAULT_ENGINE_GENERATION, parseEngineGeneration } from '../../../core/engine/generation';
import { readWorkerManifest, type WorkerManifest } from '../../../core/manifest';
import type { Reporter } from '../../../core/reporter/step-reporter';
import { DEFAULT_API_KEY_ENV } from '../../../core/registry';
import { resolveRepoUrl } from '../../../core/release-info';
import { ExecutorInputError } from '../../shared/executor-input-error';
import { githubTokenFor } from '../../shared/github-token';
import { resolveWorkspacePath, type ProjectLocation } from '../../shared/project-context';
import type { CollectInterfaceExecutorSchema } from '../schema';

export const DEFAULT_INTERFACE_FILE = 'dist/{projectRoot}/worker-interface.json';

/** iii.worker.yaml with the target's `deploy`/`bin` options laid over it (options win, as for every setting). */
export function readManifestWithOverrides(location: ProjectLocation, options: { deploy?: string; bin?: string }): WorkerManifest {
  const manifest = readWorkerManifest(join(location.workspaceRoot, location.projectRoot));
  return { ...manifest, deploy: (options.deploy as WorkerManifest['deploy']) ?? manifest.deploy, bin: options.bin ?? manifest.bin };
}

function engineChoice(options: CollectInterfaceExecutorSchema, logDir: string): EngineChoice {
  switch (options.engine ?? 'embedded') {
    case 'external':
      return { kind: 'external', command: options.engineCommand ?? 'iii', workDir: join(logDir, 'engine') };
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
): Promise<CollectRequest> {
  const manifest = readManifestWithOverrides(location, options);
  const waitSeconds = options.waitSeconds ?? 120;
  if (!(waitSeconds > 0)) throw new ExecutorInputError(`\`waitSeconds\` must be a positive number of seconds, got ${options.waitSeconds}`);
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
  return {
    workspaceRoot: location.workspaceRoot,
    projectRoot: location.projectRoot,
    worker: options.worker ?? basename(location.projectRoot),
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
    },
    engine: engineChoice(options, logDir),
    waitSeconds,
    settleSeconds,
    outputFile: resolveWorkspacePath(location, options.outputFile ?? DEFAULT_INTERFACE_FILE),
    logDir,
    // A worker may print its environment to its log; the secrets this run holds are not its business.
    withheldEnv: [...new Set([DEFAULT_API_KEY_ENV, (options as { apiKeyEnv?: string }).apiKeyEnv ?? DEFAULT_API_KEY_ENV, 'GITHUB_TOKEN', 'GH_TOKEN'])],
    reporter,
  };
}
