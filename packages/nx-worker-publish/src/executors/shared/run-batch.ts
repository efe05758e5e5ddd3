import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { availableParallelism } from 'node:os';
import { bufferedReporter, type Reporter } from '../../core/reporter/step-reporter';
import { sharedConnections } from '../../core/release-assets';
import { registryTagReader } from '../../core/release-info';
import { nxRunTarget, type RunTarget } from './project-context';

export interface BatchTaskResult {
  task: string;
  result: { success: boolean; terminalOutput: string; startTime: number; endTime: number };
}

/**
 * How many tasks of one batch run at once. Nx hands a batch every ready task whatever `--parallel` says, and 70
 * workers started together thrash a small machine (2 GB of RSS, each collection 40 s on 2 cores). Nx does not tell
 * a batch its `--parallel`, so this reads `NX_PARALLEL` (Nx's own variable for it), then nx.json's `parallel`,
 * else 4 per core: most of a collection is waiting (downloads, the worker's boot, the settle time), not CPU.
 */
export function batchConcurrency(context: Pick<ExecutorContext, 'nxJsonConfiguration'>, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env.NX_PARALLEL);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  const fromNxJson = Number((context.nxJsonConfiguration as { parallel?: unknown } | undefined)?.parallel);
  if (Number.isInteger(fromNxJson) && fromNxJson > 0) return fromNxJson;
  return Math.max(4, 4 * availableParallelism());
}

/**
 * Runs the tasks of an Nx batch in this one process, at most `batchConcurrency` at a time, and yields each result
 * as it finishes (Nx then shows its output and schedules what depends on it).
 */
export async function* runBatch<Options>(
  taskGraph: TaskGraph,
  inputs: Record<string, Options>,
  overrides: { verbose?: boolean },
  context: ExecutorContext,
  run: (options: Options, target: RunTarget, reporter: Reporter) => Promise<boolean>,
): AsyncGenerator<BatchTaskResult> {
  // A batch's context says isVerbose: false even under --verbose; Nx still sets NX_VERBOSE_LOGGING for it.
  const isVerbose = context.isVerbose || overrides.verbose === true || process.env.NX_VERBOSE_LOGGING === 'true';
  const waiting = Object.entries(inputs);
  const running = new Map<string, Promise<BatchTaskResult>>();
  const limit = batchConcurrency(context);
  const connections = sharedConnections();
  const shared = { readRegistryTag: registryTagReader(), releaseDispatcher: connections.dispatcher };
  const startNext = () => {
    const next = waiting.shift();
    if (!next) return;
    const [taskId, options] = next;
    const { target } = taskGraph.tasks[taskId];
    const taskContext: ExecutorContext = {
      ...context,
      projectName: target.project,
      targetName: target.target,
      configurationName: target.configuration,
      isVerbose,
    };
    // Nx streams the batch process's stdout as it comes (and into the TUI's batch pane): progress goes there at once.
    const prefix = Object.keys(inputs).length > 1 ? `${target.project}: ` : '';
    const reporter = bufferedReporter(isVerbose, (line) => process.stdout.write(`${prefix}${line}\n`));
    const startTime = Date.now();
    running.set(
      taskId,
      run(options, nxRunTarget(taskContext, shared), reporter).then((success) => ({
        task: taskId,
        result: { success, terminalOutput: reporter.text(), startTime, endTime: Date.now() },
      })),
    );
  };
  try {
    while (running.size < limit && waiting.length > 0) startNext();
    while (running.size > 0) {
      const finished = await Promise.race(running.values());
      running.delete(finished.task);
      startNext();
      yield finished;
    }
  } finally {
    await connections.close();
  }
}
