import type { ExecutorContext } from '@nx/devkit';
import { consoleReporter } from '../../core/reporter/step-reporter';
import { nxRunTarget } from '../shared/project-context';
import { runPublish } from './lib/run-publish';
import type { PublishInterfaceExecutorSchema } from './schema';

export default async function publishInterfaceExecutor(
  options: PublishInterfaceExecutorSchema,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  return { success: await runPublish(options, nxRunTarget(context), consoleReporter(context.isVerbose)) };
}
