/** The targets the benchmark reports against (shown with ✓/✗; never asserted). */
export interface GoalCheck {
  goal: string;
  target: string;
  actual: string;
  met: boolean;
}

export const GOALS = {
  speedupVsReference: 10,
  /** Inside the executor: Nx's own start-up (~0.9 s here) is outside the plugin's control. */
  pluginOverheadInExecutorMs: 300,
  /** download + hash + extract ≤ this × max(curl transfer, tar -xzf) of the same asset. */
  downloadExtractVsFloor: 1.3,
  repoScaleColdMs: 20_000,
  repoScaleWarmMs: 3_000,
  /** ours, release-binary cold ≤ this × the seed's job after PR #76 (release binary, curl + tar, 2 s polls). */
  seedRaceReleaseVsSeedAfter: 0.5,
  /** last registration → interface ≤ settle + this. */
  lastRegistrationOverSettleMs: 50,
  cacheHitMs: 1500,
  parallel8VsOne: 2,
  peakRssMb: 150,
  /** A worker with 20,000 functions: settled → interface read. */
  bigWorkerReadMs: 3000,
} as const;

export const mark = (met: boolean) => (met ? '✓' : '✗');
