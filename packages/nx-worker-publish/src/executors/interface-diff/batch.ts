import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { renderMarkdownReport, renderMarkdownSummary, type InterfaceDiffReport } from '../../core/interface-diff';
import { appendStepSummary } from '../publish-interface/lib/github-step-summary';
import { type BatchTaskResult, runBatch } from '../shared/run-batch';
import { BaseCommitInterfaces } from './lib/base-commit-interface';
import { diffWorkspace } from './lib/diff-workspace';
import { runDiff } from './lib/run-diff';
import type { InterfaceDiffExecutorSchema } from './schema';

/**
 * Every worker of an `nx affected -t interface-diff` run in one process: one report per worker as each finishes,
 * then, on GitHub Actions, one job summary with the overall table first and each worker's report below it.
 */
export default async function* interfaceDiffBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, InterfaceDiffExecutorSchema>,
  overrides: InterfaceDiffExecutorSchema & { verbose?: boolean },
  context: ExecutorContext,
): AsyncGenerator<BatchTaskResult> {
  const reports: InterfaceDiffReport[] = [];
  const baseCommit = new BaseCommitInterfaces();
  try {
    yield* runBatch(taskGraph, inputs, overrides, context, async (options, target, reporter) => {
      const projectContext = { ...context, projectName: target.label };
      const outcome = await runDiff(options, target, diffWorkspace(projectContext, baseCommit), reporter);
      if (outcome.report) reports.push(outcome.report);
      return outcome.success;
    });
  } finally {
    await baseCommit.dispose();
  }
  if (reports.length === 0) return;
  const byWorker = [...reports].sort((a, b) => (a.worker < b.worker ? -1 : a.worker > b.worker ? 1 : 0));
  const markdown = [renderMarkdownSummary(reports), ...byWorker.map(renderMarkdownReport)].join('\n');
  appendStepSummary(markdown, (line) => process.stderr.write(`${line}\n`));
}
