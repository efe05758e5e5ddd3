import type { CollectRequest } from '../../../core/collect/collect-worker-interface';
import { launchChosenByOption } from '../../../core/interface/collected-from';
import { readWorkerVersion } from '../../../core/manifest';
import { checkReleaseLaunch, defaultTag } from '../../../core/release-info';
import type { PendingPublish } from '../../shared/project-context';
import { isDryRun } from '../../publish-interface/lib/normalize-options';
import type { PublishInterfaceExecutorSchema } from '../../publish-interface/schema';

/**
 * A real publish follows this collection: fail now, before a download, a compile or the worker runs, when the publish would refuse
 * the interface this collection is about to produce (issue 17 §1). A dry run only warns, at publish.
 */
export function checkCollectionForPendingPublish(request: CollectRequest, pending: PendingPublish): void {
  const options = pending.options as PublishInterfaceExecutorSchema;
  if (isDryRun(options)) return;
  const publishTag = options.tag ?? defaultTagOf(request, options.version);
  if (!publishTag) return; // no readable version: publish names that problem itself
  checkReleaseLaunch({
    deploy: request.manifest.deploy,
    publishTag,
    collectTag: request.launch.tag,
    forced: launchChosenByOption(request.launch),
    releaseCommand: pending.releaseCommand(publishTag),
  });
}

function defaultTagOf(request: CollectRequest, version: string | undefined): string | undefined {
  try {
    return defaultTag(request.worker, version ?? readWorkerVersion(request.manifest));
  } catch {
    return undefined;
  }
}
