import type { WorkerInterface } from '../interface/worker-interface';
import { normalizeDependencies } from './normalize-dependencies';
import { PayloadError } from './payload-error';
import type { BinaryAsset, DeployType, PublishPayload } from './publish-payload';

export interface PublishPayloadInput {
  /** The registry worker name (the project folder's name by default, not the manifest's `name`). */
  workerName: string;
  version: string;
  /** Registry channel; an empty value means `latest`, as the workflow did. */
  registryTag: string;
  deploy: DeployType;
  readme: string;
  repoUrl: string;
  /** The manifest's raw `description`: absent → '', present but empty (YAML null) → null, else the string. */
  description: unknown;
  /** The manifest's raw `dependencies`, in any of the forms `normalizeDependencies` accepts. */
  dependencies: unknown;
  /** The worker's `config.yaml` as parsed; null (an empty file) means {}. */
  config: Record<string, unknown> | null | undefined;
  iface: WorkerInterface;
  binaries?: Record<string, BinaryAsset>;
  imageTag?: string;
  /** How errors name the manifest, e.g. `skills/iii.worker.yaml`. */
  manifestLabel: string;
}

function payloadDescription(raw: unknown, manifestLabel: string): string | null {
  if (raw === undefined) return '';
  if (raw === null || typeof raw === 'string') return raw;
  throw new PayloadError(
    `\`description\` in ${manifestLabel} must be text, got ${Array.isArray(raw) ? 'a list' : typeof raw}. ` +
      'Write it as a plain string, e.g. `description: "Resizes images"`.',
  );
}

/** Builds the `/publish` body with exactly the registry's fields, in the registry's order. */
export function buildPublishPayload(input: PublishPayloadInput): PublishPayload {
  // Spread keeps insertion order, so `type` lands between `tag` and `readme` as in the registry contract.
  const head = {
    worker_name: input.workerName,
    version: input.version,
    tag: input.registryTag || 'latest',
  };
  const body = {
    readme: input.readme,
    repo: input.repoUrl,
    description: payloadDescription(input.description, input.manifestLabel),
    dependencies: normalizeDependencies(input.dependencies, input.manifestLabel),
    config: input.config ?? {},
    functions: [...input.iface.functions],
    triggers: [...input.iface.triggers],
  };

  if (input.deploy === 'binary') {
    if (!input.binaries || Object.keys(input.binaries).length === 0) {
      throw new PayloadError(
        `deploy=binary requires non-empty binaries: no release asset was resolved for worker "${input.workerName}" ` +
          `version ${input.version}. Check that the release holds the {bin}-{target}.tar.gz and .sha256 assets, ` +
          'and the `targets` option.',
      );
    }
    return { ...head, type: 'binary', ...body, binaries: input.binaries };
  }

  if (input.deploy === 'image') {
    if (!input.imageTag) {
      throw new PayloadError(
        `deploy=image requires imageTag: worker "${input.workerName}" (${input.manifestLabel}) is published as a ` +
          'container image, so the registry needs its reference. Pass the `imageTag` option, ' +
          `e.g. --imageTag=ghcr.io/<owner>/${input.workerName}:${input.version}.`,
      );
    }
    return { ...head, type: 'image', ...body, image_tag: input.imageTag };
  }

  throw new PayloadError(
    `\`deploy\` in ${input.manifestLabel} must be "binary" or "image", got ${JSON.stringify(input.deploy)}.`,
  );
}
