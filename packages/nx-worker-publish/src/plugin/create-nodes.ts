import type { CreateNodesV2 } from '@nx/devkit';
import { basename, dirname, join } from 'node:path';
import { ManifestError, readWorkerManifest, type WorkerManifest } from '../core/manifest';
import { createNodesFromFiles } from './create-nodes-from-files';
import { cargoWorkspaceFiles } from './cargo-workspace-files';
import { inferWorkerProject } from './infer-targets';
import { readLockedPackages } from './locked-packages';
import { normalizePluginOptions, type WorkerPublishPluginOptions } from './plugin-options';
import { readProjectFiles } from './project-files';
import { chooseProjectName, namesTakenByProjectFiles } from './project-names';
import { pluginHelpCommand, pluginVersion } from './plugin-package';
import { PLUGIN_GLOB, splitWorkspaceFiles } from './workspace-files';

interface ManifestRead {
  manifest?: WorkerManifest;
  problem?: string;
}

function readManifestSafely(workspaceRoot: string, projectRoot: string): ManifestRead {
  try {
    return { manifest: readWorkerManifest(join(workspaceRoot, projectRoot)) };
  } catch (error) {
    // Keep the graph whole whatever the manifest does (an alias bomb, a 50 MB file, bytes that are not UTF-8):
    // the project still gets its targets, and running them reports the error in full, naming the file.
    return { problem: error instanceof ManifestError && error.key ? `key \`${error.key}\`` : 'see the target output' };
  }
}

const warned = new Set<string>();
function warnOnce(line: string): void {
  if (warned.has(line)) return;
  warned.add(line);
  process.stderr.write(`${line}\n`);
}

/**
 * Every folder holding an `iii.worker.yaml` becomes a project (named after its folder unless a project.json or
 * package.json names it) with `collect-interface`, and with `publish-interface` when the manifest says how the
 * worker is deployed. Reads one small YAML per worker and the project files' names, spawns nothing.
 */
export const createNodes: CreateNodesV2<WorkerPublishPluginOptions> = [
  PLUGIN_GLOB,
  (files, rawOptions, context) => {
    const options = normalizePluginOptions(rawOptions);
    const workspace = splitWorkspaceFiles(files);
    const lockedPackages = readLockedPackages(context.workspaceRoot, workspace.lockfile); // once for all workers
    const namedInputs = context.nxJsonConfiguration?.namedInputs ?? {};
    const workerRoots = new Set(workspace.workerManifests.map((file) => dirname(file)));
    const takenNames = namesTakenByProjectFiles(context.workspaceRoot, workspace.projectFiles, workerRoots);
    const usedNames = new Set<string>();
    const helpCommand = pluginHelpCommand(context.workspaceRoot);
    const version = pluginVersion();

    // First every manifest and name, in file order, so that which folder keeps a shared name is deterministic.
    const workers = new Map(
      [...workspace.workerManifests].sort().map((file) => {
        const projectRoot = dirname(file);
        const folderName = basename(projectRoot);
        const projectFiles = readProjectFiles(context.workspaceRoot, projectRoot);
        const read = readManifestSafely(context.workspaceRoot, projectRoot);
        let name: string | undefined;
        if (!projectFiles.namedElsewhere) {
          const chosen = chooseProjectName(folderName, read.manifest?.name, takenNames, usedNames);
          name = chosen.name;
          if (chosen.collidesWith) {
            warnOnce(
              `nx-worker-publish: the project name "${folderName}" of ${file} is taken by ${chosen.collidesWith}, so this worker's project is "${name}". ` +
                `To choose the name yourself, add ${projectRoot}/project.json with {"name": "<name>"}.`,
            );
          }
        }
        return [file, { projectRoot, folderName, projectFiles, read, name }] as const;
      }),
    );

    return createNodesFromFiles(
      (file) => {
        const worker = workers.get(file);
        if (!worker) return {}; // a project file or lockfile: read above, it makes no project here
        const { projectRoot, folderName, projectFiles, read, name } = worker;
        const project = inferWorkerProject(
          {
            projectRoot,
            folderName,
            name,
            deploy: read.manifest?.deploy,
            bin: read.manifest?.bin,
            language: read.manifest?.language,
            manifestProblem: read.problem,
            hasBuildTarget: projectFiles.declaredTargets.has(options.buildTargetName),
            pluginVersion: version,
            helpCommand,
            inputs: {
              namedInputs,
              dependencies: projectFiles.dependencies,
              lockedPackages,
              cargoWorkspaceFiles: read.manifest?.manifest === 'Cargo.toml' ? cargoWorkspaceFiles(context.workspaceRoot, projectRoot) : undefined,
            },
          },
          options,
        );
        return { projects: { [projectRoot]: project } };
      },
      workspace.workerManifests,
    );
  },
];

export const createNodesV2 = createNodes;
