import type { CreateNodesV2 } from '@nx/devkit';
import { basename, dirname, join } from 'node:path';
import { ManifestError, readWorkerManifest } from '../core/manifest';
import { devkit } from './devkit';
import { cargoWorkspaceFiles } from './cargo-workspace-files';
import { inferWorkerProject } from './infer-targets';
import { readLockedPackages } from './locked-packages';
import { normalizePluginOptions, type WorkerPublishPluginOptions } from './plugin-options';
import { readProjectFiles } from './project-files';

const WORKER_MANIFEST_GLOB = '**/iii.worker.yaml';

/**
 * Every folder holding an `iii.worker.yaml` becomes a project (named after its folder unless a project.json or
 * package.json names it) with `collect-interface` and `publish-interface`. Reads one small YAML per worker, spawns nothing.
 */
export const createNodes: CreateNodesV2<WorkerPublishPluginOptions> = [
  WORKER_MANIFEST_GLOB,
  (files, rawOptions, context) => {
    const options = normalizePluginOptions(rawOptions);
    const lockedPackages = readLockedPackages(context.workspaceRoot); // once for all workers
    const namedInputs = context.nxJsonConfiguration?.namedInputs ?? {};
    return devkit().createNodesFromFiles(
      (file) => {
        const projectRoot = dirname(file);
        if (projectRoot === '.') return {}; // a worker must live in its own folder
        const folderName = basename(projectRoot);
        const projectFiles = readProjectFiles(context.workspaceRoot, projectRoot);
        let manifest: ReturnType<typeof readWorkerManifest> | undefined;
        let manifestProblem: string | undefined;
        try {
          manifest = readWorkerManifest(join(context.workspaceRoot, projectRoot));
        } catch (error) {
          // Keep the graph whole whatever the manifest does (an alias bomb, a 50 MB file, bytes that are not UTF-8):
          // the project still gets its targets, and running them reports the error in full, naming the file.
          manifestProblem = error instanceof ManifestError && error.key ? `key \`${error.key}\`` : 'see the target output';
        }
        const project = inferWorkerProject(
          {
            projectRoot,
            folderName,
            deploy: manifest?.deploy,
            bin: manifest?.bin,
            language: manifest?.language,
            manifestProblem,
            namedElsewhere: projectFiles.namedElsewhere,
            hasBuildTarget: projectFiles.declaredTargets.has(options.buildTargetName),
            inputs: {
              namedInputs,
              dependencies: projectFiles.dependencies,
              lockedPackages,
              cargoWorkspaceFiles: manifest?.manifest === 'Cargo.toml' ? cargoWorkspaceFiles(context.workspaceRoot, projectRoot) : undefined,
            },
          },
          options,
        );
        return { projects: { [projectRoot]: project } };
      },
      files,
      rawOptions,
      context,
    );
  },
];

export const createNodesV2 = createNodes;
