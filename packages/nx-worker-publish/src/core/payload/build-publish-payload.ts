import type { WorkerInterface } from '../interface/worker-interface';
import { normalizeDependencies } from './normalize-dependencies';
import { PayloadError } from './payload-error';
import type { BinaryAsset, DeployType, PublishPayload } from './publish-payload';

export interface BundleAsset {
  archiveUrl: string;
  sha256: string;
}

export interface PublishPayloadInput {
  /** The registry worker name (the project folder's name by default, not the manifest's `name`). */
  workerName: string;
  version: string;
  /** Undefined when iii.worker.yaml has no `deploy` (rejected below, naming the file). */
  deploy: DeployType | undefined;
  readme: string;
  repoUrl: string;
  /** The manifest's raw `description`: absent → '', present but empty (YAML null) → null, else the string. */
  description: unknown;
  license?: string;
  /** Already normalized by the manifest reader (strip, lower-case, first-seen dedupe). */
  tags?: string[];
  experimental?: boolean;
  /** The manifest's raw `dependencies`, in any of the forms `normalizeDependencies` accepts. */
  dependencies: unknown;
  /** The resolved config (inline `config` or `config.yaml`); null/undefined means {}. */
  config: Record<string, unknown> | null | undefined;
  iface: WorkerInterface;
  binaries?: Record<string, BinaryAsset>;
  imageTag?: string;
  /** `imageTag` must be pinned by digest (`…@sha256:…`), as the registry of today requires for new images. */
  requireImageDigest?: boolean;
  bundle?: BundleAsset;
  /** How errors name the manifest, e.g. `skills/iii.worker.yaml`. */
  manifestLabel: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

function payloadDescription(raw: unknown, manifestLabel: string): string | null {
  if (raw === undefined) return '';
  if (raw === null || typeof raw === 'string') return raw;
  throw new PayloadError(
    `\`description\` in ${manifestLabel} must be text, got ${Array.isArray(raw) ? 'a list' : typeof raw}. ` +
      'Write it as a plain string, e.g. `description: "Resizes images"`.',
  );
}

/** Builds the `/publish` body with exactly the registry's fields, in the registry's order, and no channel. */
export function buildPublishPayload(input: PublishPayloadInput): PublishPayload {
  const head = { worker_name: input.workerName, version: input.version };
  // Spread keeps insertion order, so `type` comes right after the identity as in the registry contract.
  const body = {
    readme: input.readme,
    repo: input.repoUrl,
    description: payloadDescription(input.description, input.manifestLabel),
    ...(input.license ? { license: input.license } : {}),
    ...(input.tags && input.tags.length > 0 ? { tags: [...input.tags] } : {}),
    dependencies: normalizeDependencies(input.dependencies, input.manifestLabel),
    config: input.config ?? {},
    functions: [...input.iface.functions],
    triggers: [...input.iface.triggers],
    experimental: input.experimental === true,
  };

  switch (input.deploy) {
    case 'binary':
      if (!input.binaries || Object.keys(input.binaries).length === 0) {
        throw new PayloadError(
          `deploy=binary requires non-empty binaries: no release asset was resolved for worker "${input.workerName}" ` +
            `version ${input.version}. Check that the release holds the {bin}-{target}.tar.gz and .sha256 assets, ` +
            'and the `targets` option.',
        );
      }
      return { ...head, type: 'binary', ...body, binaries: input.binaries };
    case 'image':
      return { ...head, type: 'image', ...body, image_tag: imageTag(input) };
    case 'bundle':
      return { ...head, type: 'bundle', ...body, ...bundleFields(input) };
    default:
      throw new PayloadError(
        `\`deploy\` in ${input.manifestLabel} must be "binary", "image" or "bundle", got ${JSON.stringify(input.deploy)}.`,
      );
  }
}

function imageTag(input: PublishPayloadInput): string {
  if (!input.imageTag) {
    throw new PayloadError(
      `deploy=image requires imageTag: worker "${input.workerName}" (${input.manifestLabel}) is published as a ` +
        'container image, so the registry needs its reference. Pass the `imageTag` option, ' +
        `e.g. --imageTag=ghcr.io/<owner>/${input.workerName}@sha256:<digest>.`,
    );
  }
  if (input.requireImageDigest && !/@sha256:[0-9a-f]{64}$/.test(input.imageTag)) {
    throw new PayloadError(
      `image publication requires a digest-pinned image_tag (requireImageDigest is on), but imageTag is ` +
        `"${input.imageTag}". Pass the image by digest, e.g. --imageTag=ghcr.io/<owner>/${input.workerName}@sha256:<64 hex digits> ` +
        '(`docker buildx imagetools inspect <ref>` prints it).',
    );
  }
  return input.imageTag;
}

function bundleFields(input: PublishPayloadInput): { archive_url: string; sha256: string } {
  const bundle = input.bundle;
  if (!bundle?.archiveUrl || !bundle.sha256) {
    throw new PayloadError(
      `deploy=bundle requires archive_url and sha256: no release archive was resolved for worker "${input.workerName}" ` +
        `version ${input.version}. The release must hold ${input.workerName}.tar.gz and ${input.workerName}.sha256.`,
    );
  }
  if (!SHA256.test(bundle.sha256)) {
    throw new PayloadError(`deploy=bundle: the sha256 of ${bundle.archiveUrl} must be 64 lowercase hex characters, got "${bundle.sha256}".`);
  }
  return { archive_url: bundle.archiveUrl, sha256: bundle.sha256 };
}
