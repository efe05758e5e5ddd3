/**
 * Cold collection of a release-binary worker through Nx: `nx run relbin:collect-interface --skip-nx-cache --tag=…`
 * with a fresh download cache every run, plus what it takes to split that time into the worker's own boot, the
 * transfer of the asset, Nx itself, and the plugin.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTLE_MS } from 'nx-worker-publish/dist/core/collector/interface-collector';
import { startEmbeddedEngine } from 'nx-worker-publish/dist/core/engine/embedded-engine';
import { startWorkerProcess } from 'nx-worker-publish/dist/core/worker-process/index';
import { RELEASE_BIN, type BenchWorkspace } from '../lib/bench-workspace';
import { executorWritesTimings, parseExecutorOutput, readTimingsFile, STEP_KEYS, TIMINGS_FILE_OPTION, type StepKey, type StepTimings } from '../lib/executor-timings';
import { releaseBinaryScript } from '../lib/fixtures';
import { assertNxSucceeded, runNx } from '../lib/nx-runner';
import { repeat, summarize, type Summary } from '../lib/stats';
import type { TempSpace } from '../lib/temp-space';
import { transferOnce, transferTool } from '../lib/transfer';

export interface ColdCollectResults {
  cold_collect: Summary;
  breakdown: Partial<Record<StepKey, Summary>>;
  /** 'timingsFile' when the executor wrote them, 'stdout' when parsed from its progress lines (no `verify`). */
  breakdown_source: 'timingsFile' | 'stdout';
  /** Spawn of `nx` → `> nx run …` printed (Nx start-up, plugins, project graph, task hashing). */
  nx_until_task_start: Summary;
  /** `> nx run …` → the executor's first step starts (Nx forks the task process, loads the executor, normalizes options). */
  task_process_start: Summary;
  /** "interface written" → `nx` exited (stopping the worker and engine, Nx's cache write and exit). */
  after_write_to_exit: Summary;
  archive_mb: number;
  /** The worker binary alone: spawn → its `engine::workers::register` reaches an engine. */
  worker_boot_to_registration: Summary;
  /** The archive over loopback with no hashing or disk (curl or a Node fetch). */
  transfer: Summary;
  transfer_tool: string;
  /** `nx run baseline:noop --skip-nx-cache`: what any Nx task costs in this workspace. */
  nx_noop: Summary;
  /** The collector's settle window (its default), part of the worker_boot step. */
  settle_ms: number;
  /** cold_collect − worker boot − settle window − transfer (per run, with the medians of the two). */
  plugin_overhead: Summary;
  /** The same, counted inside the executor only: its steps − worker boot − settle window − transfer. */
  plugin_overhead_in_executor: Summary;
  /** Nx's share of the whole run: cold_collect − the executor's steps (start-up, graph, hashing, task process, exit). */
  nx_share: Summary;
}

/** The release binary run directly, as the executor runs it: `relbin --url ws://…` from its folder. */
async function measureWorkerBoot(space: TempSpace, runs: number): Promise<Summary> {
  const dir = space.dir('worker-boot');
  const binary = join(dir, RELEASE_BIN);
  writeFileSync(binary, releaseBinaryScript(RELEASE_BIN));
  chmodSync(binary, 0o755);
  return repeat(runs, 1, async () => {
    let onRegistered: (at: number) => void = () => {};
    const registered = new Promise<number>((resolve) => (onRegistered = resolve));
    const engine = await startEmbeddedEngine({ onEvent: (event) => event.type === 'worker-registered' && onRegistered(event.monotonicMs) });
    const started = performance.now();
    const worker = await startWorkerProcess({ command: binary, args: ['--url', engine.url], cwd: dir, env: {} }, { logFile: join(dir, 'worker.log') });
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`bench: ${binary} did not register within 30 s (log: ${join(dir, 'worker.log')})`)), 30_000);
      });
      return (await Promise.race([registered, timeout])) - started;
    } finally {
      clearTimeout(timer);
      await worker.stop();
      await engine.stop();
    }
  });
}

async function measureTransfer(url: string, runs: number): Promise<{ summary: Summary; tool: string }> {
  return { summary: await repeat(runs, 1, () => transferOnce(url)), tool: await transferTool() };
}

export async function benchColdCollect(space: TempSpace, ws: BenchWorkspace, runs: number, log: (line: string) => void): Promise<ColdCollectResults> {
  const viaFile = executorWritesTimings();
  const interfaceFile = join(ws.root, 'dist', 'workers', RELEASE_BIN, 'worker-interface.json');
  const steps: StepTimings[] = [];
  const untilTask: number[] = [];
  const taskStart: number[] = [];
  const after: number[] = [];
  const cold = await repeat(runs, 1, async (run) => {
    const cacheDir = space.dir('download-cache'); // fresh every run: really cold
    const timingsFile = join(space.dir('timings'), 'timings.json');
    const args = [
      'run',
      `${RELEASE_BIN}:collect-interface`,
      '--skip-nx-cache',
      `--tag=${ws.release.tag}`,
      `--releaseBaseUrl=${ws.release.releaseBaseUrl}`,
      `--cacheDir=${cacheDir}`,
      ...(viaFile ? [`--${TIMINGS_FILE_OPTION}=${timingsFile}`] : []),
    ];
    const result = assertNxSucceeded(await runNx(ws.root, args), `nx run ${RELEASE_BIN}:collect-interface`);
    const iface = JSON.parse(readFileSync(interfaceFile, 'utf8')) as { functions: unknown[] };
    if (iface.functions.length !== 2) throw new Error(`bench: ${interfaceFile} has ${iface.functions.length} functions, expected 2`);
    const parsed = parseExecutorOutput(result.lines);
    const timings = viaFile && existsSync(timingsFile) ? readTimingsFile(timingsFile) : parsed.timings;
    if (run >= 0) {
      steps.push(timings);
      if (parsed.taskStartAt !== undefined) untilTask.push(parsed.taskStartAt);
      if (parsed.taskStartAt !== undefined && parsed.firstStepAt !== undefined && timings.launch_plan !== undefined) {
        taskStart.push(parsed.firstStepAt - timings.launch_plan - parsed.taskStartAt);
      }
      if (parsed.writtenAt !== undefined) after.push(result.wallMs - parsed.writtenAt);
      log(`  cold collect run ${run + 1}: ${result.wallMs.toFixed(0)} ms (${STEP_KEYS.map((k) => `${k} ${timings[k] ?? '?'}`).join(', ')})`);
    }
    return result.wallMs;
  });

  log('  worker boot → registration (the binary alone)');
  const boot = await measureWorkerBoot(space, runs);
  log('  transfer of the archive over loopback');
  const transfer = await measureTransfer(ws.release.archiveUrl, runs);
  log('  nx run baseline:noop');
  const noop = await repeat(runs, 1, async () => assertNxSucceeded(await runNx(ws.root, ['run', 'baseline:noop', '--skip-nx-cache']), 'nx run baseline:noop').wallMs);

  const breakdown: Partial<Record<StepKey, Summary>> = {};
  for (const key of STEP_KEYS) {
    const values = steps.map((s) => s[key]).filter((v): v is number => v !== undefined);
    if (values.length > 0) breakdown[key] = summarize(values);
  }
  // Not the plugin's overhead: the binary's own start, the bytes on the wire, and the settle window (the registration
  // must stay unchanged that long before it is read; it has its own goal, last_registration_to_interface_ms).
  const fixed = boot.median + transfer.summary.median + DEFAULT_SETTLE_MS;
  const executorSteps = steps.map((s) => ['launch_plan', 'engine_ready', 'worker_boot', 'collect', 'write'].reduce((sum, k) => sum + (s[k as StepKey] ?? 0), 0));
  const inExecutor = executorSteps.map((sum) => sum - fixed);
  return {
    cold_collect: cold,
    breakdown,
    breakdown_source: viaFile ? 'timingsFile' : 'stdout',
    nx_until_task_start: summarize(untilTask.length ? untilTask : [NaN]),
    task_process_start: summarize(taskStart.length ? taskStart : [NaN]),
    after_write_to_exit: summarize(after.length ? after : [NaN]),
    archive_mb: Math.round((ws.release.archiveBytes / 1024 / 1024) * 10) / 10,
    worker_boot_to_registration: boot,
    transfer: transfer.summary,
    transfer_tool: transfer.tool,
    nx_noop: noop,
    settle_ms: DEFAULT_SETTLE_MS,
    plugin_overhead: summarize(cold.samples.map((ms) => ms - fixed)),
    plugin_overhead_in_executor: summarize(inExecutor),
    nx_share: summarize(cold.samples.map((wall, i) => wall - executorSteps[i])),
  };
}
