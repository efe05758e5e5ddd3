import type { InterfaceFunction, InterfaceTrigger } from '../interface/worker-interface';
import type { DeployKind } from '../manifest/worker-manifest';
import type { PayloadDependency } from './normalize-dependencies';

export type DeployType = DeployKind;

/** One release asset of a binary worker: where to download it and its sha256 (hex). */
export interface BinaryAsset {
  url: string;
  sha256: string;
}

/**
 * The fields every `/publish` body carries, in the registry's order (spec publish-pipeline-later §3.1, §6.2).
 * There is no `tag`: the version is immutable and the channel is moved separately, by compare-and-swap.
 */
interface PublishPayloadCommon {
  worker_name: string;
  version: string;
  type: DeployType;
  readme: string;
  repo: string;
  description: string | null;
  /** Omitted when the manifest has no `license`. */
  license?: string;
  /** Omitted when empty (manifest-era rule). */
  tags?: string[];
  dependencies: PayloadDependency[];
  config: Record<string, unknown>;
  functions: InterfaceFunction[];
  triggers: InterfaceTrigger[];
  /** Always a real boolean: the registry clears the badge when the key is missing and answers 422 to a string. */
  experimental: boolean;
}

export interface BinaryPublishPayload extends PublishPayloadCommon {
  type: 'binary';
  /** Keyed by Rust target triple, e.g. `x86_64-unknown-linux-gnu`. */
  binaries: Record<string, BinaryAsset>;
}

export interface ImagePublishPayload extends PublishPayloadCommon {
  type: 'image';
  image_tag: string;
}

export interface BundlePublishPayload extends PublishPayloadCommon {
  type: 'bundle';
  /** `{releaseBaseUrl}/{tag}/{worker}.tar.gz` */
  archive_url: string;
  sha256: string;
}

export type PublishPayload = BinaryPublishPayload | ImagePublishPayload | BundlePublishPayload;
