/**
 * The shape of the workers repository (publish-pipeline-later.md §1.2, issue 13): 70 publishable workers, of which
 * 52 are Rust release binaries with assets of 5–60 MB, 10 bundles and 8 container images started by a script;
 * 5–200 functions each, some with trigger types. Deterministic: the same seed gives the same workspace.
 */
export type WorkerKind = 'release-binary' | 'bundle' | 'image';

export interface RepoWorker {
  name: string;
  kind: WorkerKind;
  functions: number;
  triggerTypes: number;
  /** Padding of the release asset (incompressible), for release binaries and bundles. */
  assetBytes: number;
}

export const REPO_SHAPE = { releaseBinaries: 52, bundles: 10, images: 8, minFunctions: 5, maxFunctions: 200, minAssetMb: 5, maxAssetMb: 60 } as const;

/** mulberry32: a tiny seeded PRNG, so the workspace is the same every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MB = 1024 * 1024;

export function repoWorkers(seed = 13, shape: { releaseBinaries: number; bundles: number; images: number } = REPO_SHAPE): RepoWorker[] {
  const random = prng(seed);
  // Most workers are small, a few are large: u² skews the count towards the low end.
  const functions = () => Math.round(REPO_SHAPE.minFunctions + (REPO_SHAPE.maxFunctions - REPO_SHAPE.minFunctions) * random() ** 2);
  const triggerTypes = () => (random() < 0.35 ? 1 + Math.floor(random() * 4) : 0);
  const n = shape.releaseBinaries;
  // Asset sizes spread evenly over 5–60 MB, in a shuffled order.
  const sizes = Array.from({ length: n }, (_, i) => REPO_SHAPE.minAssetMb + ((REPO_SHAPE.maxAssetMb - REPO_SHAPE.minAssetMb) * i) / Math.max(1, n - 1));
  for (let i = sizes.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [sizes[i], sizes[j]] = [sizes[j], sizes[i]];
  }
  const pad = (i: number) => String(i + 1).padStart(2, '0');
  const workers: RepoWorker[] = [];
  for (let i = 0; i < n; i++) workers.push({ name: `rust-${pad(i)}`, kind: 'release-binary', functions: functions(), triggerTypes: triggerTypes(), assetBytes: Math.round(sizes[i] * MB) });
  for (let i = 0; i < shape.bundles; i++) workers.push({ name: `bundle-${pad(i)}`, kind: 'bundle', functions: functions(), triggerTypes: triggerTypes(), assetBytes: Math.round((1 + random() * 3) * MB) });
  for (let i = 0; i < shape.images; i++) workers.push({ name: `image-${pad(i)}`, kind: 'image', functions: functions(), triggerTypes: triggerTypes(), assetBytes: 0 });
  return workers;
}
