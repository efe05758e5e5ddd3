import type { ExecutorContext } from '@nx/devkit';
import { consoleReporter } from '../../core/reporter/step-reporter';
import { nxRunTarget } from '../shared/project-context';
import { runCollect } from './lib/run-collect';
import type { CollectInterfaceExecutorSchema } from './schema';

export default async function collectInterfaceExecutor(
  options: CollectInterfaceExecutorSchema,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  return { success: await runCollect(options, nxRunTarget(context), consoleReporter(context.isVerbose)) };
}
