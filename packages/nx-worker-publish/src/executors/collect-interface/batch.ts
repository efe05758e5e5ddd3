import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { type BatchTaskResult, runBatch } from '../shared/run-batch';
import { runCollect } from './lib/run-collect';
import type { CollectInterfaceExecutorSchema } from './schema';

/**
 * Several collections in one process (`preferBatch`): each still gets its own engine and worker, but Nx forks one
 * task process and loads the executor once instead of once per worker, which is most of a task's CPU cost on a
 * small CI machine. Results are reported as each collection finishes.
 */
export default function collectInterfaceBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, CollectInterfaceExecutorSchema>,
  overrides: CollectInterfaceExecutorSchema & { verbose?: boolean },
  context: ExecutorContext,
): AsyncGenerator<BatchTaskResult> {
  return runBatch(taskGraph, inputs, overrides, context, runCollect);
}
