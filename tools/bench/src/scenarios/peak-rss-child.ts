/**
 * Child process of the peak-RSS scenario: downloads, hashes and extracts one release asset with the plugin's
 * core (`downloadReleaseBinary`, what the executor runs) and prints its own peak RSS and the CPU time of the
 * download (all threads) as JSON. With
 * `"baseline": true` it only loads the module, for the idle footprint.
 */
import { readFileSync } from 'node:fs';
import { downloadReleaseBinary } from 'nx-worker-publish/dist/core/release-assets/index';

interface ChildRequest {
  releaseBaseUrl: string;
  tag: string;
  bin: string;
  target: string;
  cacheDir: string;
  baseline?: boolean;
}

function vmHwmMb(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const { baseline, ...ref } = JSON.parse(process.argv[2]) as ChildRequest;
  let timings: unknown = null;
  let cpuMs: number | null = null;
  if (!baseline) {
    const before = process.cpuUsage();
    const asset = await downloadReleaseBinary({ ...ref, retry: { attempts: 1 } });
    const used = process.cpuUsage(before); // every thread of the process: main, zlib and fs in the thread pool
    cpuMs = (used.user + used.system) / 1000;
    if (asset.fromCache) throw new Error('peak-rss child: the asset came from the cache; the scenario needs a cold cache');
    timings = asset.timings;
  }
  process.stdout.write(JSON.stringify({ max_rss_mb: process.resourceUsage().maxRSS / 1024, vm_hwm_mb: vmHwmMb(), timings, cpu_ms: cpuMs }));
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
