import type { ExecutorContext } from '@nx/devkit';
import type { BaseCommitInterfaces } from './base-commit-interface';
import type { DiffWorkspace } from './run-diff';

const COLLECT_EXECUTOR = 'nx-worker-publish:collect-interface';

/** nx.json (for the default base), the name this project gives its collection target (plugin option `collectTargetName`). */
export function diffWorkspace(
  context: Pick<ExecutorContext, 'nxJsonConfiguration' | 'projectsConfigurations' | 'projectName'>,
  baseCommit: BaseCommitInterfaces,
): DiffWorkspace {
  const targets = context.projectName ? context.projectsConfigurations?.projects[context.projectName]?.targets ?? {} : {};
  const collectTarget = Object.entries(targets).find(([, target]) => target.executor === COLLECT_EXECUTOR)?.[0] ?? 'collect-interface';
  return { nxJson: context.nxJsonConfiguration as DiffWorkspace['nxJson'], collectTarget, baseCommit };
}
