import type { InterfaceFunction, InterfaceTrigger } from '../interface/worker-interface';
import type { PayloadDependency } from './normalize-dependencies';

export type DeployType = 'binary' | 'image';

/** One release asset of a binary worker: where to download it and its sha256 (hex). */
export interface BinaryAsset {
  url: string;
  sha256: string;
}

/** The fields every `/publish` body carries, in the registry's order (spec publish-pipeline §5.4). */
interface PublishPayloadCommon {
  worker_name: string;
  version: string;
  tag: string;
  type: DeployType;
  readme: string;
  repo: string;
  description: string | null;
  dependencies: PayloadDependency[];
  config: Record<string, unknown>;
  functions: InterfaceFunction[];
  triggers: InterfaceTrigger[];
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

export type PublishPayload = BinaryPublishPayload | ImagePublishPayload;
