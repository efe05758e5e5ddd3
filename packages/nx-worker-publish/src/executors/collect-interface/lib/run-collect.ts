import { collectWorkerInterface } from '../../../core/collect/collect-worker-interface';
import type { Reporter } from '../../../core/reporter/step-reporter';
import type { RunTarget } from '../../shared/project-context';
import { checkPublishPrerequisitesFor } from '../../shared/publish-prerequisites';
import { reportFailure } from '../../shared/report-failure';
import type { CollectInterfaceExecutorSchema } from '../schema';
import { exitWhenParentDies } from '../../../core/worker-process/parent-watch';
import { normalizeCollectOptions } from './normalize-options';
import { checkCollectionForPendingPublish } from './pending-publish-check';

/** One collection, reported through `reporter`; failures are reported there too and answered with `false`. */
export async function runCollect(options: CollectInterfaceExecutorSchema, target: RunTarget, reporter: Reporter): Promise<boolean> {
  // An orphaned task (nx killed) must not run on and write the interface after nx is gone.
  const workDone = exitWhenParentDies();
  try {
    // Part of a publish: find everything publishing will miss now, before the worker starts (and all at once).
    const pendingPublish = target.pendingPublish?.();
    if (pendingPublish) await checkPublishPrerequisitesFor(pendingPublish.options, target.locate());
    const request = await normalizeCollectOptions(options, target.locate(), reporter, target.workspaceKeyEnvs?.() ?? []);
    if (pendingPublish) checkCollectionForPendingPublish(request, pendingPublish);
    await collectWorkerInterface(request);
    return true;
  } catch (error) {
    reportFailure(reporter, `could not collect the interface of ${target.label}`, error, target.isVerbose);
    return false;
  } finally {
    workDone();
  }
}
