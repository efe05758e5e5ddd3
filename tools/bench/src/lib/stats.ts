/** One timing over several runs, in milliseconds (rounded to 0.1 ms). */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
  samples: number[];
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export function summarize(samples: number[]): Summary {
  if (samples.length === 0) throw new Error('summarize: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median: round(median), min: round(sorted[0]), max: round(sorted[sorted.length - 1]), runs: samples.length, samples: samples.map(round) };
}

/** Runs `measure` `warmup` times untimed, then `runs` times, and summarizes what it returns. */
export async function repeat(runs: number, warmup: number, measure: (run: number) => Promise<number>): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await measure(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await measure(i));
  return summarize(samples);
}
