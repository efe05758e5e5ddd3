import type { ExecutorContext } from '@nx/devkit';
import { consoleReporter } from '../../core/reporter/step-reporter';
import { nxRunTarget } from '../shared/project-context';
import { runFinalize } from './lib/run-finalize';
import type { FinalizeReleaseExecutorSchema } from './schema';

export default async function finalizeReleaseExecutor(options: FinalizeReleaseExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  return { success: await runFinalize(options, nxRunTarget(context), consoleReporter(context.isVerbose)) };
}
