/**
 * The release-asset pipeline against its two floors, on the same 50 MB asset in the same run (runs interleaved so
 * the machine's load hits all three alike):
 *  - download_extract: the plugin's `downloadReleaseBinary` in a fresh process with a cold cache (checksum fetch,
 *    one pass that hashes and extracts the download as it streams, verify, move into the cache);
 *  - transfer: `curl -o /dev/null` of the same URL (no hashing, no disk);
 *  - tar_extract: a plain `tar -xzf` of the same file, already on disk.
 */
import { rmSync } from 'node:fs';
import type { BenchWorkspace } from '../lib/bench-workspace';
import { runDownloadChild } from '../lib/download-child';
import { runCommand } from '../lib/run-command';
import { summarize, type Summary } from '../lib/stats';
import type { TempSpace } from '../lib/temp-space';
import { transferOnce, transferTool } from '../lib/transfer';
import { releaseAssetFile } from '../../../release-server/src';

export interface DownloadExtractResults {
  download_extract: Summary;
  /** The plugin's own phases: download (with hash and extraction running meanwhile), verify, the extraction's tail. */
  breakdown: { download: Summary; verify: Summary; extract_tail: Summary; checksum: Summary };
  transfer: Summary;
  transfer_tool: string;
  tar_extract: Summary;
  asset_mb: number;
}

async function tarExtract(file: string, dir: string): Promise<number> {
  const started = performance.now();
  await runCommand('tar', ['-xzf', file, '-C', dir]);
  return performance.now() - started;
}

export async function benchDownloadExtract(space: TempSpace, ws: BenchWorkspace, runs: number, log: (line: string) => void): Promise<DownloadExtractResults> {
  const release = ws.release;
  const archive = releaseAssetFile(ws.releaseRoot, release, `${release.bin}-${release.target}.tar.gz`);
  const request = { releaseBaseUrl: release.releaseBaseUrl, tag: release.tag, bin: release.bin, target: release.target };
  const ours: number[] = [];
  const phases = { download: [] as number[], verify: [] as number[], extract_tail: [] as number[], checksum: [] as number[] };
  const transfer: number[] = [];
  const tar: number[] = [];
  for (let run = -1; run < runs; run++) {
    const cacheDir = space.dir('download-extract-cache');
    const report = await runDownloadChild({ ...request, cacheDir });
    rmSync(cacheDir, { recursive: true, force: true });
    const curl = await transferOnce(release.archiveUrl);
    const tarDir = space.dir('tar-xzf');
    const plain = await tarExtract(archive, tarDir);
    rmSync(tarDir, { recursive: true, force: true });
    if (run < 0 || !report.timings) continue; // warm-up: page cache, first spawn
    const t = report.timings;
    ours.push(t.totalMs);
    phases.download.push(t.downloadMs);
    phases.verify.push(t.verifyMs);
    phases.extract_tail.push(t.extractMs);
    phases.checksum.push(t.checksumMs);
    transfer.push(curl);
    tar.push(plain);
    log(`  run ${run + 1}: plugin ${t.totalMs.toFixed(0)} ms (download ${t.downloadMs.toFixed(0)}, verify ${t.verifyMs.toFixed(0)}, extract tail ${t.extractMs.toFixed(0)}), curl ${curl.toFixed(0)} ms, tar -xzf ${plain.toFixed(0)} ms`);
  }
  return {
    download_extract: summarize(ours),
    breakdown: { download: summarize(phases.download), verify: summarize(phases.verify), extract_tail: summarize(phases.extract_tail), checksum: summarize(phases.checksum) },
    transfer: summarize(transfer),
    transfer_tool: await transferTool(),
    tar_extract: summarize(tar),
    asset_mb: Math.round((release.archiveBytes / 1024 / 1024) * 10) / 10,
  };
}
