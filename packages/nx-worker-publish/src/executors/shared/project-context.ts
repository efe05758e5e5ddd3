import type { ExecutorContext } from '@nx/devkit';
import { isAbsolute, resolve } from 'node:path';
import type { Dispatcher } from 'undici';
import { ExecutorInputError } from './executor-input-error';
import type { RegistryTagReader } from '../../core/release-info';
import { workspaceApiKeyEnvs } from './workspace-key-envs';

export interface ProjectLocation {
  workspaceRoot: string;
  projectName: string;
  /** Workspace-relative. */
  projectRoot: string;
}

export function locateProject(context: ExecutorContext): ProjectLocation {
  const projectName = context.projectName;
  const node = projectName ? context.projectGraph?.nodes[projectName] : undefined;
  const projectRoot = node?.data.root ?? (projectName ? context.projectsConfigurations?.projects[projectName]?.root : undefined);
  if (!projectName || projectRoot === undefined) {
    throw new ExecutorInputError('this executor must run as a project target, e.g. `nx run skills:collect-interface`');
  }
  return { workspaceRoot: context.root, projectName, projectRoot };
}

/** Where a run happens and how it reports, whether Nx or the `worker-publish` CLI started it. */
export interface RunTarget {
  /** Throws a user error when the project cannot be located. */
  locate(): ProjectLocation;
  /** How messages name the project, e.g. `skills`. */
  label: string;
  /** What produces the interface file, for the hint when it is missing. */
  collectHint: string;
  /** The command that collects and publishes a release's own interface, for when a publish refuses a local one. */
  releaseCommand: (tag: string) => string;
  isVerbose: boolean;
  /** The `apiKeyEnv` of every publish target of the workspace (withheld from workers); none outside Nx. */
  workspaceKeyEnvs?: () => string[];
  /** The publish that will follow this collection in the same run, if one will. */
  pendingPublish?: () => PendingPublish | undefined;
  /** Reads a release tag's registry channel; a batch shares one that lists the repository's tags once. */
  readRegistryTag?: RegistryTagReader;
  /** A batch's one connection pool for the release server (keep-alive across its publishes); none outside a batch. */
  releaseDispatcher?: () => Dispatcher;
}

export interface PendingPublish {
  /** Its options: target, configuration, command line. */
  options: Record<string, unknown>;
  /** The command that publishes a release's own interface. */
  releaseCommand: (tag: string) => string;
}

const PUBLISH_EXECUTOR = 'nx-worker-publish:publish-interface';

/**
 * When `nx run <project>:publish-interface` started this collection, the publish task is in the task graph: its
 * options (target, configuration, command line) let collection check what publishing needs before starting the worker.
 */
function pendingPublishOf(context: ExecutorContext): PendingPublish | undefined {
  for (const task of Object.values(context.taskGraph?.tasks ?? {})) {
    if (task.target.project !== context.projectName) continue;
    const target = context.projectsConfigurations?.projects[task.target.project]?.targets?.[task.target.target];
    if (target?.executor !== PUBLISH_EXECUTOR) continue;
    const { __overrides_unparsed__: _unparsed, ...overrides } = task.overrides ?? {};
    const configuration = task.target.configuration ? target.configurations?.[task.target.configuration] : undefined;
    return {
      options: { ...target.options, ...configuration, ...overrides },
      releaseCommand: (tag) => `nx run ${task.target.project}:${task.target.target} --tag=${tag}`,
    };
  }
  return undefined;
}

/** The run target of an Nx task; `shared` holds what the tasks of one batch share. */
export function nxRunTarget(context: ExecutorContext, shared: Pick<RunTarget, 'readRegistryTag' | 'releaseDispatcher'> = {}): RunTarget {
  return {
    ...shared,
    locate: () => locateProject(context),
    label: context.projectName ?? 'this project',
    collectHint: `nx run ${context.projectName}:collect-interface`,
    releaseCommand: (tag) => `nx run ${context.projectName}:${context.targetName} --tag=${tag}`,
    isVerbose: context.isVerbose,
    workspaceKeyEnvs: () => workspaceApiKeyEnvs(context),
    pendingPublish: () => pendingPublishOf(context),
  };
}

/** Resolves a workspace-relative option path, filling the tokens Nx leaves alone in schema defaults. */
export function resolveWorkspacePath(location: ProjectLocation, path: string): string {
  const filled = path
    .replace(/\{workspaceRoot\}\/?/g, '')
    .replace(/\{projectRoot\}/g, location.projectRoot)
    .replace(/\{projectName\}/g, location.projectName);
  return isAbsolute(filled) ? filled : resolve(location.workspaceRoot, filled);
}
