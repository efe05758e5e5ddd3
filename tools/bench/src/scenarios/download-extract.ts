/**
 * The release-asset pipeline against its two floors, on the same 50 MB asset in the same run (runs interleaved so
 * the machine's load hits all of them alike):
 *  - download_extract: the plugin's `downloadReleaseBinary` in a fresh process with a cold cache (checksum fetch,
 *    one pass that hashes and extracts the download as it streams, verify, move into the cache);
 *  - transfer: `curl -o /dev/null` of the same URL (no hashing, no disk);
 *  - tar_extract: a plain `tar -xzf` of the same file, already on disk;
 *  - pipe: `curl | tar -xzf -`, the two floors' work in one streaming pass by the C tools (no hash).
 * Where the time goes: the CPU time (user + system, all threads) of the plugin's process, of curl, of tar, of the
 * pipe, and of the release server that sends the bytes (it runs in this process, idle otherwise).
 */
import { rmSync } from 'node:fs';
import type { BenchWorkspace } from '../lib/bench-workspace';
import { runDownloadChild } from '../lib/download-child';
import { summarize, type Summary } from '../lib/stats';
import type { TempSpace } from '../lib/temp-space';
import { timedShell } from '../lib/timed-shell';
import { transferOnce, transferTool } from '../lib/transfer';
import { releaseAssetFile } from '../../../release-server/src';

export interface DownloadExtractResults {
  download_extract: Summary;
  /** The plugin's own phases: download (with hash and extraction running meanwhile), verify, the extraction's tail. */
  breakdown: { download: Summary; verify: Summary; extract_tail: Summary; checksum: Summary };
  transfer: Summary;
  transfer_tool: string;
  tar_extract: Summary;
  pipe: Summary;
  /** CPU time (ms) of each, and of the release server while it sent the bytes to the plugin and to curl. */
  cpu: { plugin: Summary; server_for_plugin: Summary; curl: Summary; server_for_curl: Summary; tar: Summary; pipe: Summary };
  asset_mb: number;
}

/** Runs `work` and returns the CPU time this process (the release server) spent meanwhile. */
async function serverCpu<T>(work: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  return { result, cpuMs: (used.user + used.system) / 1000 };
}

export async function benchDownloadExtract(space: TempSpace, ws: BenchWorkspace, runs: number, log: (line: string) => void): Promise<DownloadExtractResults> {
  const release = ws.release;
  const archive = releaseAssetFile(ws.releaseRoot, release, `${release.bin}-${release.target}.tar.gz`);
  const request = { releaseBaseUrl: release.releaseBaseUrl, tag: release.tag, bin: release.bin, target: release.target };
  const ours: number[] = [];
  const phases = { download: [] as number[], verify: [] as number[], extract_tail: [] as number[], checksum: [] as number[] };
  const transfer: number[] = [];
  const tar: number[] = [];
  const pipe: number[] = [];
  const cpu = { plugin: [] as number[], server_for_plugin: [] as number[], curl: [] as number[], server_for_curl: [] as number[], tar: [] as number[], pipe: [] as number[] };
  for (let run = -1; run < runs; run++) {
    const cacheDir = space.dir('download-extract-cache');
    const plugin = await serverCpu(() => runDownloadChild({ ...request, cacheDir }));
    rmSync(cacheDir, { recursive: true, force: true });
    const curlWall = await transferOnce(release.archiveUrl);
    const curl = await serverCpu(() => timedShell('curl -fsSL -o /dev/null "$1"', [release.archiveUrl]));
    const tarDir = space.dir('tar-xzf');
    const plain = await timedShell('tar -xzf "$1" -C "$2"', [archive, tarDir]);
    rmSync(tarDir, { recursive: true, force: true });
    const pipeDir = space.dir('curl-pipe-tar');
    const piped = await timedShell('curl -fsSL "$1" | tar -xzf - -C "$2"', [release.archiveUrl, pipeDir]);
    rmSync(pipeDir, { recursive: true, force: true });
    const report = plugin.result;
    if (run < 0 || !report.timings) continue; // warm-up: page cache, first spawn
    const t = report.timings;
    ours.push(t.totalMs);
    phases.download.push(t.downloadMs);
    phases.verify.push(t.verifyMs);
    phases.extract_tail.push(t.extractMs);
    phases.checksum.push(t.checksumMs);
    transfer.push(curlWall);
    tar.push(plain.wallMs);
    pipe.push(piped.wallMs);
    cpu.plugin.push(report.cpu_ms ?? NaN);
    cpu.server_for_plugin.push(plugin.cpuMs);
    cpu.curl.push(curl.result.cpuMs);
    cpu.server_for_curl.push(curl.cpuMs);
    cpu.tar.push(plain.cpuMs);
    cpu.pipe.push(piped.cpuMs);
    log(
      `  run ${run + 1}: plugin ${t.totalMs.toFixed(0)} ms (download ${t.downloadMs.toFixed(0)}, verify ${t.verifyMs.toFixed(0)}, extract tail ${t.extractMs.toFixed(0)}; ` +
        `CPU ${report.cpu_ms?.toFixed(0)} + server ${plugin.cpuMs.toFixed(0)}), curl ${curlWall.toFixed(0)} ms (CPU ${curl.result.cpuMs.toFixed(0)} + server ${curl.cpuMs.toFixed(0)}), ` +
        `tar -xzf ${plain.wallMs.toFixed(0)} ms (CPU ${plain.cpuMs.toFixed(0)}), curl | tar -xzf - ${piped.wallMs.toFixed(0)} ms (CPU ${piped.cpuMs.toFixed(0)})`,
    );
  }
  return {
    download_extract: summarize(ours),
    breakdown: { download: summarize(phases.download), verify: summarize(phases.verify), extract_tail: summarize(phases.extract_tail), checksum: summarize(phases.checksum) },
    transfer: summarize(transfer),
    transfer_tool: await transferTool(),
    tar_extract: summarize(tar),
    pipe: summarize(pipe),
    cpu: Object.fromEntries(Object.entries(cpu).map(([key, values]) => [key, summarize(values)])) as DownloadExtractResults['cpu'],
    asset_mb: Math.round((release.archiveBytes / 1024 / 1024) * 10) / 10,
  };
}
