import type { CreateDependencies, DependencyType, RawProjectGraphDependency } from '@nx/devkit';
import { basename, join } from 'node:path';
import { readWorkerManifest } from '../core/manifest';
import { normalizeDependencies } from '../core/payload/normalize-dependencies';
import type { WorkerPublishPluginOptions } from './plugin-options';
import { WORKER_MANIFEST } from './workspace-files';

const COLLECT_EXECUTOR = 'nx-worker-publish:collect-interface';

/** The registry name of every worker project of the graph (`worker` option, else the folder's name), to its project. */
function workerProjects(projects: Parameters<CreateDependencies>[1]['projects']): Map<string, { project: string; root: string }> {
  const byWorkerName = new Map<string, { project: string; root: string }>();
  // Keyed by project name (unlike createNodes results, which are keyed by root).
  for (const [name, project] of Object.entries(projects)) {
    const collect = Object.values(project.targets ?? {}).find((target) => target.executor === COLLECT_EXECUTOR);
    if (!collect) continue;
    const worker = typeof collect.options?.worker === 'string' ? collect.options.worker : basename(project.root);
    if (!byWorkerName.has(worker)) byWorkerName.set(worker, { project: name, root: project.root });
  }
  return byWorkerName;
}

/**
 * Static edges from each worker to the in-repo workers its iii.worker.yaml lists under `dependencies:`, so that
 * `nx graph` shows the worker graph and `nx affected` marks a worker's dependents when it changes. A dependency on a
 * worker that lives only in the registry has no project here and adds nothing. A `dependencies` value that is not
 * a map or a list adds nothing either: publishing reports it, naming the file.
 */
export const createDependencies: CreateDependencies<WorkerPublishPluginOptions> = (_options, context) => {
  const workers = workerProjects(context.projects);
  const edges: RawProjectGraphDependency[] = [];
  for (const { project, root } of workers.values()) {
    let listed: string[];
    try {
      const manifest = readWorkerManifest(join(context.workspaceRoot, root));
      listed = normalizeDependencies(manifest.dependencies, manifest.file).map((dependency) => dependency.name);
    } catch {
      continue; // a broken manifest: its targets report the error
    }
    for (const name of [...new Set(listed)].sort()) {
      const target = workers.get(name);
      if (!target || target.project === project) continue;
      edges.push({ source: project, target: target.project, type: 'static' as DependencyType.static, sourceFile: `${root === '.' ? '' : `${root}/`}${WORKER_MANIFEST}` });
    }
  }
  return edges;
};
