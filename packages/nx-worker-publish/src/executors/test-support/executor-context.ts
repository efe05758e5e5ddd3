import type { ExecutorContext } from '@nx/devkit';
import type { TempWorkspace } from './temp-workspace';

/** The context Nx hands an executor for `nx run <worker>:<target>` in the temp workspace. */
export function executorContext(workspace: TempWorkspace, targetName: string, options: { isVerbose?: boolean } = {}): ExecutorContext {
  const { root, projectName, projectRoot } = workspace;
  const project = { name: projectName, root: projectRoot, targets: {} };
  return {
    root,
    cwd: root,
    isVerbose: options.isVerbose ?? false,
    projectName,
    targetName,
    projectGraph: { nodes: { [projectName]: { name: projectName, type: 'lib', data: project } }, dependencies: { [projectName]: [] } },
    projectsConfigurations: { version: 2, projects: { [projectName]: project } },
    nxJsonConfiguration: {},
  };
}
