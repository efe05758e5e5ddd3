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
 * package of the workspace, so adding an unrelated package would start every worker again. It names only packages
 * the lockfile Nx reads holds (none when the lockfile is git-ignored): Nx fails a task naming a package it has no
 * node for. The plugin's own version is not one of them; it is in collection's options (`pluginVersion`), which
 * Nx hashes whatever the lockfile.
 */
export function collectInputs(facts: InputFacts, resultChangingEnv: string[]): InputDefinition[] {
  const files: InputDefinition[] = WORKER_INTERFACE_INPUT in facts.namedInputs ? [WORKER_INTERFACE_INPUT] : DEFAULT_WORKER_FILES;
  const external = facts.dependencies.filter(facts.lockedPackages).sort();
  return [
    ...files,
    ...(facts.cargoWorkspaceFiles ?? []).map((file) => `{workspaceRoot}/${file}`),
    ...(facts.hasBuildTarget ? [{ dependentTasksOutputFiles: '**/*', transitive: false }] : []),
    { externalDependencies: external },
    ...resultChangingEnv.map((env) => ({ env })),
  ];
}

/**
 * Publishing also reads the README (the registry shows it) and the version; it is never cached, inputs serve
 * `affected`. `^default` (the files of the workers it lists under `dependencies:`, see create-dependencies) makes a
 * change in a dependency select its dependents' publish too: Nx 24 selects affected tasks by their inputs, Nx 22 by
 * the project graph. Nx defines `default` (every file of the project) where nx.json does not.
 */
export function publishInputs(facts: InputFacts): InputDefinition[] {
  return ['default' in facts.namedInputs ? 'default' : '{projectRoot}/**/*', '^default'];
}
