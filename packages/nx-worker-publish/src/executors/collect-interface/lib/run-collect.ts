import type { ExecutorContext } from '@nx/devkit';
import { collectWorkerInterface } from '../../../core/collect/collect-worker-interface';
import type { Reporter } from '../../../core/reporter/step-reporter';
import { reportFailure } from '../../shared/report-failure';
import type { CollectInterfaceExecutorSchema } from '../schema';
import { normalizeCollectOptions } from './normalize-options';

/** One collection, reported through `reporter`; failures are reported there too and answered with `false`. */
export async function runCollect(options: CollectInterfaceExecutorSchema, context: ExecutorContext, reporter: Reporter): Promise<boolean> {
  try {
    const request = await normalizeCollectOptions(options, context, reporter);
    await collectWorkerInterface(request);
    return true;
  } catch (error) {
    reportFailure(reporter, `could not collect the interface of ${context.projectName}`, error, context.isVerbose);
    return false;
  }
}
