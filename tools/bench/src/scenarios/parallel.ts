/** `nx run-many -t collect-interface --parallel=N --skip-nx-cache` over N Node iii-sdk workers (scripts.start). */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { todoProject, type BenchWorkspace } from '../lib/bench-workspace';
import { assertNxSucceeded, runNx } from '../lib/nx-runner';
import { repeat, type Summary } from '../lib/stats';

export const PARALLEL_LEVELS = [1, 4, 8] as const;

export async function benchParallel(ws: BenchWorkspace, runs: number, log: (line: string) => void): Promise<Record<string, { wall_ms: Summary }>> {
  const results: Record<string, { wall_ms: Summary }> = {};
  for (const n of PARALLEL_LEVELS) {
    const projects = Array.from({ length: n }, (_, i) => todoProject(i + 1));
    const files = projects.map((p) => join(ws.root, 'dist', 'workers', p, 'worker-interface.json'));
    const wall = await repeat(runs, 1, async (run) => {
      for (const file of files) rmSync(file, { force: true });
      const args = ['run-many', '-t', 'collect-interface', `--projects=${projects.join(',')}`, `--parallel=${n}`, '--skip-nx-cache'];
      const result = assertNxSucceeded(await runNx(ws.root, args), `nx run-many over ${n} workers`);
      const missing = files.filter((file) => !existsSync(file));
      if (missing.length > 0) throw new Error(`bench: run-many over ${n} workers did not write ${missing.join(', ')}`);
      if (run >= 0) log(`  ${n} worker${n === 1 ? '' : 's'} --parallel=${n}, run ${run + 1}: ${result.wallMs.toFixed(0)} ms`);
      return result.wallMs;
    });
    results[String(n)] = { wall_ms: wall };
  }
  return results;
}
