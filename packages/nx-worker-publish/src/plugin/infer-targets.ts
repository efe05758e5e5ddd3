import type { ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import type { NormalizedPluginOptions } from './plugin-options';
import { buildOutputInput } from './build-output-input';
import { collectInputs, publishInputs, type InputFacts } from './worker-inputs';

export interface WorkerFacts {
  /** Workspace-relative folder of the worker. */
  projectRoot: string;
  folderName: string;
  /** The project name to give; undefined when a project.json or package.json names the project. */
  name?: string;
  /** From iii.worker.yaml; absent when the manifest is broken (the executors then fail with its error). */
  deploy?: string;
  bin?: string;
  language?: string;
  manifestProblem?: string;
  hasBuildTarget: boolean;
  /** The plugin's version: in collection's options, so that Nx re-collects after a plugin upgrade. */
  pluginVersion: string;
  /** How this workspace runs the `worker-publish` bin (`npx worker-publish`, or a path into `.nx/installation`). */
  helpCommand: string;
  inputs: Omit<InputFacts, 'hasBuildTarget'>;
}

/** Nx Console and `nx show project` group the two targets under this heading, as @nx/docker does with "Docker". */
export const TARGET_GROUP = 'iii worker';

/** Environment variables that change what collection produces (they pick the repository the release asset comes from). */
const RESULT_CHANGING_ENV = ['GITHUB_REPOSITORY', 'GITHUB_SERVER_URL'];

const DESCRIPTION_COLLECT =
  'Start an engine and the worker, wait for it to register, and write its interface (functions and trigger types). Cached.';
const DESCRIPTION_PUBLISH = 'Build the registry payload from the collected interface and POST it to the workers registry (the dry-run configuration writes it only).';
const DESCRIPTION_DIFF =
  "Compare the collected interface with the registry channel's version (or the base commit's interface), write interface-diff.md/.json and fail on breaking changes the version bump does not allow.";

export const FINALIZE_TARGET = 'finalize-release';
const DESCRIPTION_FINALIZE = 'rc-first: mint the stable X.Y.Z from the release candidate on next and move next and latest to it (--tag=<worker>/vX.Y.Z). No worker runs.';

/** The registry settings a workspace gives every publish also reach the finalization. */
function pickRegistryOptions(publishOptions: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(['apiUrl', 'apiKeyEnv', 'publishTimeoutSeconds'].filter((key) => key in publishOptions).map((key) => [key, publishOptions[key]]));
}

/**
 * The inferred targets of one worker folder. Pure and deterministic: no absolute paths, no env values, sorted keys,
 * so the project graph (and every task hash) only changes when the worker's files do.
 */
export function inferWorkerProject(facts: WorkerFacts, options: NormalizedPluginOptions): ProjectConfiguration {
  const fromManifest: Record<string, unknown> = { worker: facts.folderName };
  if (facts.deploy) fromManifest.deploy = facts.deploy;
  if (facts.bin) fromManifest.bin = facts.bin;
  const interfaceFile = 'dist/{projectRoot}/worker-interface.json';
  const buildOutput = buildOutputInput(facts.projectRoot, facts.bin, options.collectOptions.binaryPath);

  const collect: TargetConfiguration = {
    executor: 'nx-worker-publish:collect-interface',
    cache: true,
    inputs: [...collectInputs({ ...facts.inputs, hasBuildTarget: facts.hasBuildTarget }, RESULT_CHANGING_ENV), ...(buildOutput ? [buildOutput] : [])],
    outputs: ['{options.outputFile}'],
    ...(facts.hasBuildTarget ? { dependsOn: [options.buildTargetName] } : {}),
    options: { ...fromManifest, outputFile: interfaceFile, pluginVersion: facts.pluginVersion, ...options.collectOptions },
    metadata: {
      description: facts.manifestProblem ? `${DESCRIPTION_COLLECT} (iii.worker.yaml is invalid: ${facts.manifestProblem})` : DESCRIPTION_COLLECT,
      technologies: ['iii'],
      // Nx Console runs this to show the options: it must print help and nothing else, whatever the project is called.
      help: { command: `${facts.helpCommand} collect --help`, example: { options: { waitSeconds: 60 } } },
    },
  };

  const publish: TargetConfiguration = {
    executor: 'nx-worker-publish:publish-interface',
    cache: false,
    inputs: publishInputs({ ...facts.inputs, hasBuildTarget: facts.hasBuildTarget }),
    // `forward` hands CLI flags such as --tag and --releaseBaseUrl to collection as well, so both agree on the release.
    dependsOn: [{ target: options.collectTargetName, params: 'forward' }],
    options: { ...fromManifest, outputFile: interfaceFile, ...options.publishOptions },
    // A forwarded --dryRun would become part of collection's cache key; a configuration is not forwarded.
    configurations: { 'dry-run': { dryRun: true } },
    metadata: {
      description: DESCRIPTION_PUBLISH,
      technologies: ['iii'],
      help: { command: `${facts.helpCommand} publish --help`, example: { options: { dryRun: true } } },
    },
  };

  // rc-first: mints X.Y.Z from the rc on next (no collection, no worker): `nx run <w>:finalize-release --tag=<w>/vX.Y.Z`.
  const finalize: TargetConfiguration = {
    executor: 'nx-worker-publish:finalize-release',
    cache: false,
    options: { worker: facts.folderName, ...pickRegistryOptions(options.publishOptions) },
    metadata: {
      description: DESCRIPTION_FINALIZE,
      technologies: ['iii'],
      help: { command: `${facts.helpCommand} finalize --help`, example: { options: { tag: `${facts.folderName}/v1.0.0` } } },
    },
  };

  // Not cached: its reference is the registry channel's version, which moves without any input changing, and a cache
  // hit would skip the job summary; both collections it compares (this commit's and the base commit's) are cached.
  const diff: TargetConfiguration = {
    executor: 'nx-worker-publish:interface-diff',
    cache: false,
    dependsOn: [options.collectTargetName],
    options: {
      ...fromManifest,
      outputFile: interfaceFile,
      ...('apiUrl' in options.publishOptions ? { apiUrl: options.publishOptions.apiUrl } : {}),
      ...options.diffOptions,
    },
    metadata: {
      description: DESCRIPTION_DIFF,
      technologies: ['iii'],
    },
  };

  // A manifest without `deploy` (a test harness, an example) is not a worker the registry ships: it can be
  // collected, but gets no publish target (a broken manifest keeps it, so running it reports the error).
  const publishable = facts.deploy !== undefined || facts.manifestProblem !== undefined;
  const targetNames = publishable ? [options.collectTargetName, options.publishTargetName, options.diffTargetName, FINALIZE_TARGET] : [options.collectTargetName];
  return {
    root: facts.projectRoot,
    ...(facts.name === undefined ? {} : { name: facts.name, projectType: 'application' as const }),
    metadata: {
      technologies: ['iii', ...(facts.language ? [facts.language] : [])],
      targetGroups: { [TARGET_GROUP]: targetNames },
    },
    targets: {
      [options.collectTargetName]: collect,
      ...(publishable ? { [options.publishTargetName]: publish, [options.diffTargetName]: diff, [FINALIZE_TARGET]: finalize } : {}),
    },
  };
}
