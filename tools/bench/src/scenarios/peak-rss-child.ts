/**
 * Child process of the peak-RSS scenario: downloads, hashes and extracts one release asset with the plugin's
 * core (`downloadReleaseBinary`, what the executor runs) and prints its own peak RSS as JSON. With
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
  if (!baseline) {
    const asset = await downloadReleaseBinary({ ...ref, retry: { attempts: 1 } });
    if (asset.fromCache) throw new Error('peak-rss child: the asset came from the cache; the scenario needs a cold cache');
    timings = asset.timings;
  }
  process.stdout.write(JSON.stringify({ max_rss_mb: process.resourceUsage().maxRSS / 1024, vm_hwm_mb: vmHwmMb(), timings }));
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
