import type { ExecutorContext } from '@nx/devkit';
import { collectWorkerInterface } from '../../core/collect/collect-worker-interface';
import { consoleReporter } from '../../core/reporter/step-reporter';
import { reportFailure } from '../shared/report-failure';
import { normalizeCollectOptions } from './lib/normalize-options';
import type { CollectInterfaceExecutorSchema } from './schema';

export default async function collectInterfaceExecutor(
  options: CollectInterfaceExecutorSchema,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const reporter = consoleReporter(context.isVerbose);
  try {
    const request = await normalizeCollectOptions(options, context, reporter);
    await collectWorkerInterface(request);
    return { success: true };
  } catch (error) {
    reportFailure(reporter, `could not collect the interface of ${context.projectName}`, error, context.isVerbose);
    return { success: false };
  }
}
