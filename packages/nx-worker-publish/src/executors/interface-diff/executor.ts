import type { ExecutorContext } from '@nx/devkit';
import { renderMarkdownReport } from '../../core/interface-diff';
import { consoleReporter } from '../../core/reporter/step-reporter';
import { appendStepSummary } from '../publish-interface/lib/github-step-summary';
import { nxRunTarget } from '../shared/project-context';
import { BaseCommitInterfaces } from './lib/base-commit-interface';
import { diffWorkspace } from './lib/diff-workspace';
import { runDiff } from './lib/run-diff';
import type { InterfaceDiffExecutorSchema } from './schema';

export default async function interfaceDiffExecutor(options: InterfaceDiffExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const reporter = consoleReporter(context.isVerbose);
  const baseCommit = new BaseCommitInterfaces();
  try {
    const outcome = await runDiff(options, nxRunTarget(context), diffWorkspace(context, baseCommit), reporter);
    if (outcome.report) appendStepSummary(renderMarkdownReport(outcome.report), (line) => reporter.warn(line));
    return { success: outcome.success };
  } finally {
    await baseCommit.dispose();
  }
}
