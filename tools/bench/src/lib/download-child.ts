import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface DownloadChildReport {
  max_rss_mb: number;
  vm_hwm_mb: number | null;
  timings: { checksumMs: number; downloadMs: number; verifyMs: number; extractMs: number; totalMs: number; bytes: number } | null;
  /** CPU time (user + system, all threads) of the download, hash and extraction. */
  cpu_ms: number | null;
}

/**
 * Runs the plugin's `downloadReleaseBinary` in a fresh Node process (scenarios/peak-rss-child.js), so its memory
 * and time are its own: `{releaseBaseUrl, tag, bin, target, cacheDir, baseline?}`.
 */
export function runDownloadChild(request: Record<string, unknown>): Promise<DownloadChildReport> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(__dirname, '..', 'scenarios', 'peak-rss-child.js'), JSON.stringify(request)], { timeout: 300_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`bench: download child failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout) as DownloadChildReport);
    });
  });
}
