/** One misbehaviour, used up by one request of the asset it was queued for. */
export type AssetFault =
  /** Answer with this HTTP status (e.g. 503) instead of the bytes. */
  | { kind: 'status'; status: number }
  /** Send the headers and half of the body, then cut the connection. */
  | { kind: 'reset-mid-body' }
  /** Send half of the body, wait `delayMs`, then the rest. */
  | { kind: 'slow-body'; delayMs: number };

export const faults = {
  status: (status: number): AssetFault => ({ kind: 'status', status }),
  /** `times` answers of 503 Service Unavailable. */
  unavailable: (times = 1): AssetFault[] => Array.from({ length: times }, () => ({ kind: 'status', status: 503 }) as AssetFault),
  resetMidBody: (): AssetFault => ({ kind: 'reset-mid-body' }),
  slowBody: (delayMs: number): AssetFault => ({ kind: 'slow-body', delayMs }),
};

/** Faults queued per asset-path suffix; a request takes the first fault of the first suffix its path ends with. */
export class FaultQueue {
  private readonly queues = new Map<string, AssetFault[]>();

  add(assetSuffix: string, queued: AssetFault[]): void {
    this.queues.set(assetSuffix, [...(this.queues.get(assetSuffix) ?? []), ...queued]);
  }

  take(asset: string): AssetFault | undefined {
    for (const [suffix, queue] of this.queues) {
      if (!asset.endsWith(suffix) || queue.length === 0) continue;
      const fault = queue.shift();
      if (queue.length === 0) this.queues.delete(suffix);
      return fault;
    }
    return undefined;
  }

  clear(): void {
    this.queues.clear();
  }
}
