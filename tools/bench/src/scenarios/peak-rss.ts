/** Peak RSS of a process that downloads, hashes and extracts a 200 MB release asset with the plugin's core. */
import { rmSync } from 'node:fs';
import type { BenchWorkspace } from '../lib/bench-workspace';
import { runDownloadChild } from '../lib/download-child';
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

export async function benchPeakRss(space: TempSpace, ws: BenchWorkspace, runs: number, log: (line: string) => void): Promise<PeakRssResults> {
  log(`  building a ${BIG_ASSET_MB} MB release asset`);
  const release = await ws.publish('bigbin', 'bigbin/v1.0.0', BIG_ASSET_MB * 1024 * 1024);
  const request = { releaseBaseUrl: release.releaseBaseUrl, tag: release.tag, bin: release.bin, target: release.target };
  const baseline = await runDownloadChild({ ...request, cacheDir: space.dir('rss-cache'), baseline: true });
  const peaks: number[] = [];
  const totals: number[] = [];
  for (let run = 0; run < runs; run++) {
    const cacheDir = space.dir('rss-cache');
    const report = await runDownloadChild({ ...request, cacheDir });
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
