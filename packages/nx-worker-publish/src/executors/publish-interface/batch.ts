import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { type BatchTaskResult, runBatch } from '../shared/run-batch';
import { runPublish } from './lib/run-publish';
import type { PublishInterfaceExecutorSchema } from './schema';

/**
 * Several publishes in one process (`preferBatch`): Nx forks one task process and loads the executor once instead
 * of once per worker (≈0.6 s of CPU each, 70 workers = most of a warm run). Each publish is still its own, with its
 * own output and result.
 */
export default function publishInterfaceBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, PublishInterfaceExecutorSchema>,
  overrides: PublishInterfaceExecutorSchema & { verbose?: boolean },
  context: ExecutorContext,
): AsyncGenerator<BatchTaskResult> {
  return runBatch(taskGraph, inputs, overrides, context, runPublish);
}
