/** The targets the benchmark reports against (shown with ✓/✗; never asserted). */
export interface GoalCheck {
  goal: string;
  target: string;
  actual: string;
  met: boolean;
}

export const GOALS = {
  registrationToInterfaceMs: 50,
  speedupVsReference: 10,
  pluginOverheadMs: 300,
  cacheHitMs: 1500,
  parallel8VsOne: 2,
  peakRssMb: 150,
} as const;

export const mark = (met: boolean) => (met ? '✓' : '✗');
