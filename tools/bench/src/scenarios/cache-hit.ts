/** The whole `nx run relbin:collect-interface` when Nx restores the interface from its cache (nothing is started). */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { RELEASE_BIN, type BenchWorkspace } from '../lib/bench-workspace';
import { assertNxSucceeded, runNx } from '../lib/nx-runner';
import { repeat, type Summary } from '../lib/stats';
import type { TempSpace } from '../lib/temp-space';

const CACHE_HIT = /from the cache|\[local cache\]|existing outputs match the cache/i;

export async function benchCacheHit(space: TempSpace, ws: BenchWorkspace, runs: number, log: (line: string) => void): Promise<Summary> {
  // Options are part of the task hash: keep them identical across runs (a fixed download cache).
  const args = [
    'run',
    `${RELEASE_BIN}:collect-interface`,
    `--tag=${ws.release.tag}`,
    `--releaseBaseUrl=${ws.release.releaseBaseUrl}`,
    `--cacheDir=${space.dir('download-cache-shared')}`,
  ];
  assertNxSucceeded(await runNx(ws.root, args), 'the cache-filling collect-interface run');
  const interfaceFile = join(ws.root, 'dist', 'workers', RELEASE_BIN, 'worker-interface.json');
  return repeat(runs, 0, async (run) => {
    rmSync(interfaceFile, { force: true }); // a hit must restore it
    const result = assertNxSucceeded(await runNx(ws.root, args), 'a cache-hit collect-interface run');
    if (!CACHE_HIT.test(result.output)) throw new Error(`bench: expected a cache hit, Nx said:\n${result.output.slice(-2000)}`);
    log(`  cache hit run ${run + 1}: ${result.wallMs.toFixed(0)} ms`);
    return result.wallMs;
  });
}
