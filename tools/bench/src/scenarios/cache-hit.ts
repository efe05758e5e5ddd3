/** The whole `nx run relbin:collect-interface` when Nx restores the interface from its cache (nothing is started). */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { RELEASE_BIN, type BenchWorkspace } from '../lib/bench-workspace';
import { assertNxSucceeded, NX_DEFAULT_ISOLATION, runNx } from '../lib/nx-runner';
import { summarize, type Summary } from '../lib/stats';
import type { TempSpace } from '../lib/temp-space';

const CACHE_HIT = /from the cache|\[local cache\]|existing outputs match the cache/i;

/**
 * The hit as the README's CI recipes run Nx (plugins in the nx process), and with Nx's default plugin isolation
 * (a worker process per plugin), interleaved so that the machine's load hits both alike.
 */
export async function benchCacheHit(space: TempSpace, ws: BenchWorkspace, runs: number, log: (line: string) => void): Promise<{ hit: Summary; isolatedPlugins: Summary }> {
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
  const hit = async (env: Record<string, string>) => {
    rmSync(interfaceFile, { force: true }); // a hit must restore it
    const result = assertNxSucceeded(await runNx(ws.root, args, { env }), 'a cache-hit collect-interface run');
    if (!CACHE_HIT.test(result.output)) throw new Error(`bench: expected a cache hit, Nx said:\n${result.output.slice(-2000)}`);
    return result.wallMs;
  };
  const samples = { hit: [] as number[], isolatedPlugins: [] as number[] };
  for (let run = 0; run < runs; run++) {
    samples.hit.push(await hit({}));
    samples.isolatedPlugins.push(await hit(NX_DEFAULT_ISOLATION));
    log(`  cache hit run ${run + 1}: ${samples.hit.at(-1)!.toFixed(0)} ms (with Nx's default plugin isolation ${samples.isolatedPlugins.at(-1)!.toFixed(0)} ms)`);
  }
  return { hit: summarize(samples.hit), isolatedPlugins: summarize(samples.isolatedPlugins) };
}
