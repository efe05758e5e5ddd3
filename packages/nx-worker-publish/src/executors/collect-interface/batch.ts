import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { bufferedReporter } from '../../core/reporter/step-reporter';
import { nxRunTarget } from '../shared/project-context';
import { runCollect } from './lib/run-collect';
import type { CollectInterfaceExecutorSchema } from './schema';

interface BatchTaskResult {
  task: string;
  result: { success: boolean; terminalOutput: string; startTime: number; endTime: number };
}

/**
 * Several collections in one process (`preferBatch`): each still gets its own engine and worker, but Nx forks one
 * task process and loads the executor once instead of once per worker, which is most of a task's CPU cost on a
 * small CI machine. Results are reported as each collection finishes.
 */
export default async function* collectInterfaceBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, CollectInterfaceExecutorSchema>,
  overrides: CollectInterfaceExecutorSchema & { verbose?: boolean },
  context: ExecutorContext,
): AsyncGenerator<BatchTaskResult> {
  // A batch's context says isVerbose: false even under --verbose; Nx still sets NX_VERBOSE_LOGGING for it.
  const isVerbose = context.isVerbose || overrides.verbose === true || process.env.NX_VERBOSE_LOGGING === 'true';
  const running = new Map<string, Promise<BatchTaskResult>>();
  for (const [taskId, options] of Object.entries(inputs)) {
    const { target } = taskGraph.tasks[taskId];
    const taskContext: ExecutorContext = {
      ...context,
      projectName: target.project,
      targetName: target.target,
      configurationName: target.configuration,
      isVerbose,
    };
    const reporter = bufferedReporter(isVerbose);
    const startTime = Date.now();
    running.set(
      taskId,
      runCollect(options, nxRunTarget(taskContext), reporter).then((success) => ({
        task: taskId,
        result: { success, terminalOutput: reporter.text(), startTime, endTime: Date.now() },
      })),
    );
  }
  while (running.size > 0) {
    const finished = await Promise.race(running.values());
    running.delete(finished.task);
    yield finished;
  }
}
