import { readWorkerConfig } from '../manifest/read-worker-files';
import type { WorkerManifest } from '../manifest/worker-manifest';

/**
 * The payload's `config`: an inline `config` mapping in iii.worker.yaml wins over `config.yaml` (spec
 * publish-pipeline-later §1.1); `config.collect.yaml` is for collection only and never published.
 */
export function resolvePayloadConfig(manifest: Pick<WorkerManifest, 'config'>, workerDir: string): Record<string, unknown> {
  return manifest.config ?? readWorkerConfig(workerDir);
}
