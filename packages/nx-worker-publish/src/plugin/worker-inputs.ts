import type { TargetConfiguration } from '@nx/devkit';

type InputDefinition = NonNullable<TargetConfiguration['inputs']>[number];
import type { LockedPackages } from './locked-packages';

/** The named input a workspace defines in nx.json to choose collection's file inputs itself. */
export const WORKER_INTERFACE_INPUT = 'workerInterface';

/**
 * What can change a worker's interface: its own files, minus those that only matter to packaging or publishing
 * (docs, container files, project.json, whose collect options Nx hashes with the target anyway).
 */
export const DEFAULT_WORKER_FILES = [
  '{projectRoot}/**/*',
  '!{projectRoot}/**/*.md',
  '!{projectRoot}/**/Dockerfile',
  '!{projectRoot}/**/*.Dockerfile',
  '!{projectRoot}/**/.dockerignore',
  '!{projectRoot}/project.json',
];

/** The plugin's own package: a new plugin version may collect differently. */
const PLUGIN_PACKAGE = 'nx-worker-publish';

export interface InputFacts {
  namedInputs: Record<string, unknown>;
  /** npm packages the worker's package.json depends on. */
  dependencies: string[];
  lockedPackages: LockedPackages;
  hasBuildTarget: boolean;
  /** Workspace-relative Cargo.lock and Cargo.toml of the cargo workspace a Rust worker belongs to, when above its folder. */
  cargoWorkspaceFiles?: string[];
}

/**
 * Inputs of collection. Always an explicit `externalDependencies` entry: without one, Nx hashes every external
 * package of the workspace, so adding an unrelated package would start every worker again.
 */
export function collectInputs(facts: InputFacts, resultChangingEnv: string[]): InputDefinition[] {
  const files: InputDefinition[] = WORKER_INTERFACE_INPUT in facts.namedInputs ? [WORKER_INTERFACE_INPUT] : DEFAULT_WORKER_FILES;
  const external = [...new Set([...facts.dependencies, PLUGIN_PACKAGE])].filter(facts.lockedPackages).sort();
  return [
    ...files,
    ...(facts.cargoWorkspaceFiles ?? []).map((file) => `{workspaceRoot}/${file}`),
    ...(facts.hasBuildTarget ? [{ dependentTasksOutputFiles: '**/*', transitive: false }] : []),
    { externalDependencies: external },
    ...resultChangingEnv.map((env) => ({ env })),
  ];
}

/** Publishing also reads the README (the registry shows it) and the version; it is never cached, inputs serve `affected`. */
export function publishInputs(facts: InputFacts): InputDefinition[] {
  return ['default' in facts.namedInputs ? 'default' : '{projectRoot}/**/*'];
}
