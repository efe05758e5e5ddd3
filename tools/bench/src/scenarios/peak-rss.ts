/** Peak RSS of a process that downloads, hashes and extracts a 200 MB release asset with the plugin's core. */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchWorkspace } from '../lib/bench-workspace';
import { summarize, type Summary } from '../lib/stats';
import type { TempSpace } from '../lib/temp-space';

export const BIG_ASSET_MB = 200;

export interface PeakRssResults {
  /** The highest peak over the runs. */
  peak_rss_mb: number;
  peak_rss_runs: Summary;
  /** The same child, module loaded, nothing downloaded. */
  baseline_rss_mb: number;
  asset_mb: number;
  /** download + hash (streamed together), then extract, as the child saw it. */
  total_ms: Summary;
}

interface ChildReport {
  max_rss_mb: number;
  vm_hwm_mb: number | null;
  timings: { totalMs: number } | null;
}

function runChild(request: Record<string, unknown>): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(__dirname, 'peak-rss-child.js'), JSON.stringify(request)], { timeout: 300_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`bench: peak-RSS child failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout) as ChildReport);
    });
  });
}

export async function benchPeakRss(space: TempSpace, ws: BenchWorkspace, runs: number, log: (line: string) => void): Promise<PeakRssResults> {
  log(`  building a ${BIG_ASSET_MB} MB release asset`);
  const release = await ws.publish('bigbin', 'bigbin/v1.0.0', BIG_ASSET_MB * 1024 * 1024);
  const request = { releaseBaseUrl: release.releaseBaseUrl, tag: release.tag, bin: release.bin, target: release.target };
  const baseline = await runChild({ ...request, cacheDir: space.dir('rss-cache'), baseline: true });
  const peaks: number[] = [];
  const totals: number[] = [];
  for (let run = 0; run < runs; run++) {
    const cacheDir = space.dir('rss-cache');
    const report = await runChild({ ...request, cacheDir });
    rmSync(cacheDir, { recursive: true, force: true }); // 400 MB per run otherwise
    const peak = Math.max(report.max_rss_mb, report.vm_hwm_mb ?? 0);
    peaks.push(peak);
    totals.push(report.timings?.totalMs ?? NaN);
    log(`  200 MB asset run ${run + 1}: peak RSS ${peak.toFixed(1)} MB, ${report.timings?.totalMs.toFixed(0)} ms`);
  }
  return {
    peak_rss_mb: Math.round(Math.max(...peaks) * 10) / 10,
    peak_rss_runs: summarize(peaks),
    baseline_rss_mb: Math.round(Math.max(baseline.max_rss_mb, baseline.vm_hwm_mb ?? 0) * 10) / 10,
    asset_mb: Math.round((release.archiveBytes / 1024 / 1024) * 10) / 10,
    total_ms: summarize(totals),
  };
}
