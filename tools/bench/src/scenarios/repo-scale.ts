/**
 * The whole repository in one job: `nx run-many -t collect-interface publish-interface --parallel=P` over a generated
 * workspace of 70 workers shaped like the workers repository (repo-scale/repo-shape.ts), publishing as a dry run.
 *  - cold: no `.nx` folder (no Nx cache, no download cache, no project graph) and no `dist`: every release asset is
 *    downloaded, every worker started;
 *  - warm: everything cached; Nx restores every interface, the 70 dry-run publishes still run.
 * P is chosen by one cold run per candidate; the best one is then timed cold and warm.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseExecutorOutput, STEP_KEYS, type StepKey } from '../lib/executor-timings';
import { assertNxSucceeded, runNx, type TimedLine } from '../lib/nx-runner';
import { sampleTree } from '../lib/process-tree-rss';
import { summarize, type Summary } from '../lib/stats';
import type { TempSpace } from '../lib/temp-space';
import { createRepoScaleWorkspace } from '../repo-scale/repo-scale-workspace';
import type { RepoWorker } from '../repo-scale/repo-shape';
import { referenceJob, type ReferenceJobResult } from '../reference/reference-job';
import { expectedInterfaceNames, interfaceNames, prepareRustBinary, type InterfaceNames } from '../seed-race/rust-fixture';

export interface RepoScaleResults {
  workers: number;
  kinds: Record<string, number>;
  functions_total: number;
  download_gb: number;
  /** One cold run per candidate parallelism (ms). */
  parallel_search: Record<string, number>;
  best_parallel: number;
  cold: Summary;
  warm: Summary;
  peak_rss_mb_cold: number;
  peak_rss_mb_warm: number;
  /** Wall time of each task in the last cold run, from Nx's task timings: where the time goes. */
  cold_task_ms: { collect: Summary; publish: Summary };
  /** CPU time by kind of process, cold (median per kind over the cold runs at the best parallelism) and warm. */
  cpu_ms: { cold: Record<string, number>; warm: Record<string, number> };
  /** The executor's step times summed over the 70 collections of the last cold run (they overlap in time). */
  cold_step_totals_ms: Partial<Record<StepKey, number>>;
  /** One release-binary worker of the same workspace, the way the workers CI job does it, in the same run. */
  reference_one_worker: Omit<ReferenceJobResult, 'interface_file'> & { worker: string; asset_mb: number; functions: number };
}

export const DEFAULT_PARALLEL_CANDIDATES = [8, 16];
const RUN_TIMEOUT_MS = 400_000;

/**
 * Where the CPU goes, by process: `nx` itself and its plugin workers (project graph, hashing, scheduling, cache,
 * output), the task processes
 * Nx forks (the plugin's executors run there: downloads, hashing, extraction, the engines, collection, payloads) and
 * the workers (their own start-up and registration, with the shells of start scripts).
 */
export type CpuKind = 'nx' | 'executors' | 'workers';
const classifyProcess = (isRoot: boolean, commandLine: string): CpuKind => {
  if (isRoot || /plugin-worker|daemon/.test(commandLine)) return 'nx'; // Nx's plugin workers build the project graph
  return /[/\\]nx[/\\]/.test(commandLine) ? 'executors' : 'workers';
};

interface RunOutcome {
  wallMs: number;
  peakRssMb: number;
  /** CPU time (ms) by kind of process, plus the release server (in this process) that sent the assets. */
  cpuMs: Record<CpuKind | 'release_server', number>;
  taskMs: { collect: number[]; publish: number[] };
  stepTotals: Partial<Record<StepKey, number>>;
}

/** Each collection's step lines (`✔ worker registered … (212 ms)`), summed over all tasks of the run. */
function sumStepLines(lines: TimedLine[]): Partial<Record<StepKey, number>> {
  const totals: Partial<Record<StepKey, number>> = {};
  for (const line of lines) {
    const { timings } = parseExecutorOutput([line]);
    for (const key of STEP_KEYS) if (timings[key] !== undefined) totals[key] = Math.round((totals[key] ?? 0) + timings[key]!);
  }
  return totals;
}

/** Nx's own per-task timings: `NX_PROFILE` writes a trace with one complete event (`ph: 'X'`, µs) per task. */
function readTaskTimings(file: string): { collect: number[]; publish: number[] } {
  const out = { collect: [] as number[], publish: [] as number[] };
  if (!existsSync(file)) return out;
  const events = JSON.parse(readFileSync(file, 'utf8')) as Array<{ name: string; ph: string; dur?: number }>;
  for (const event of events) {
    if (event.ph !== 'X' || event.dur === undefined) continue;
    if (event.name.endsWith(':collect-interface')) out.collect.push(event.dur / 1000);
    if (event.name.endsWith(':publish-interface')) out.publish.push(event.dur / 1000);
  }
  return out;
}

/**
 * Every worker has its interface and payload. The synthetic workers register exactly their shape's functions and
 * trigger types; the release binaries (copies of one Rust build) exactly the fixture's expected interface, or, when the
 * fixture has none, all the same non-empty one.
 */
function checkOutputs(root: string, workers: RepoWorker[], rustExpected: InterfaceNames | undefined): void {
  const problems: string[] = [];
  for (const worker of workers) {
    const dir = join(root, 'dist', 'workers', worker.name);
    const iface = join(dir, 'worker-interface.json');
    const payload = join(dir, 'publish-payload.json');
    if (!existsSync(iface)) problems.push(`${iface} missing`);
    else if (worker.kind === 'release-binary') {
      const got = interfaceNames(iface);
      rustExpected ??= got;
      if (got.functions.length === 0 || JSON.stringify(got) !== JSON.stringify(rustExpected)) {
        problems.push(`${worker.name}: ${JSON.stringify(got)}, expected ${JSON.stringify(rustExpected)}`);
      }
    } else {
      const { functions, triggers } = interfaceNames(iface);
      if (functions.length !== worker.functions || triggers.length !== worker.triggerTypes) {
        problems.push(`${worker.name}: ${functions.length} functions and ${triggers.length} trigger types, expected ${worker.functions} and ${worker.triggerTypes}`);
      }
    }
    if (!existsSync(payload)) problems.push(`${payload} missing`);
  }
  if (problems.length > 0) throw new Error(`bench: repo_scale run is incomplete:\n  ${problems.slice(0, 20).join('\n  ')}`);
}

function medianCpu(outcomes: RunOutcome[]): Record<string, number> {
  const kinds = Object.keys(outcomes[0].cpuMs) as Array<keyof RunOutcome['cpuMs']>;
  return Object.fromEntries(kinds.map((kind) => [kind, summarize(outcomes.map((o) => o.cpuMs[kind])).median]));
}

export async function benchRepoScale(space: TempSpace, runs: number, candidates: number[], log: (line: string) => void): Promise<RepoScaleResults> {
  const rust = await prepareRustBinary(log);
  log('  generating the workspace');
  const ws = await createRepoScaleWorkspace(space, rust, log);
  const rustExpected = expectedInterfaceNames(rust.fixture);
  const { root, workers } = ws;
  try {
    const run = async (parallel: number, cold: boolean, label: string): Promise<RunOutcome> => {
      rmSync(join(root, 'dist'), { recursive: true, force: true });
      if (cold) rmSync(join(root, '.nx'), { recursive: true, force: true });
      const profile = 'nx-task-profile.json'; // Nx joins it to the workspace root
      const timingsFile = join(root, profile);
      rmSync(timingsFile, { force: true });
      let sampler: ReturnType<typeof sampleTree> | undefined;
      const serverCpu = process.cpuUsage();
      const args = ['run-many', '-t', 'collect-interface', 'publish-interface', `--parallel=${parallel}`];
      const result = await runNx(root, args, {
        timeoutMs: RUN_TIMEOUT_MS,
        // NX_PARALLEL too: a batch (collect, publish) is not told --parallel and bounds itself by NX_PARALLEL.
        env: { NX_TASKS_RUNNER_DYNAMIC_OUTPUT: 'false', NX_PROFILE: profile, NX_PARALLEL: String(parallel) },
        onSpawn: (pid) => (sampler = sampleTree(pid, classifyProcess)),
      });
      const tree = sampler?.stop();
      const server = process.cpuUsage(serverCpu);
      const peakRssMb = tree?.peakRssMb ?? NaN;
      const byKind = tree?.cpuMsByKind ?? {};
      const cpuMs = { nx: byKind.nx ?? 0, executors: byKind.executors ?? 0, workers: byKind.workers ?? 0, release_server: Math.round((server.user + server.system) / 1000 - (tree?.samplingCpuMs ?? 0)) };
      assertNxSucceeded(result, `nx run-many over ${workers.length} workers (${label})`);
      checkOutputs(root, workers, rustExpected);
      if (!cold && !/\[(local|existing outputs match the) cache\]|from (the )?cache|Nx read the output from the cache/i.test(result.output)) {
        throw new Error(`bench: the warm repo_scale run did not hit the Nx cache:\n${result.output.slice(-2000)}`);
      }
      const taskMs = readTaskTimings(timingsFile);
      const cpuText = Object.entries(cpuMs).map(([kind, ms]) => `${kind} ${(ms / 1000).toFixed(1)} s`).join(', ');
      log(`  ${label}: ${(result.wallMs / 1000).toFixed(1)} s, peak RSS of the process tree ${peakRssMb} MB; CPU: ${cpuText}`);
      return { wallMs: result.wallMs, peakRssMb, cpuMs, taskMs, stepTotals: sumStepLines(result.lines) };
    };

    const search: Record<string, number> = {};
    const coldRuns: Record<string, RunOutcome[]> = {};
    for (const p of candidates) {
      const outcome = await run(p, true, `cold, --parallel=${p}`);
      search[String(p)] = Math.round(outcome.wallMs);
      coldRuns[String(p)] = [outcome];
    }
    const best = candidates.reduce((a, b) => (search[String(b)] < search[String(a)] ? b : a));
    const cold = coldRuns[String(best)];
    for (let i = cold.length; i < runs; i++) cold.push(await run(best, true, `cold, --parallel=${best}, run ${i + 1}`));
    const warm: RunOutcome[] = [];
    for (let i = 0; i < runs; i++) warm.push(await run(best, false, `warm, --parallel=${best}, run ${i + 1}`));

    // The reference: one job per worker, each waiting out collect_worker_interface.py's 120 s for an unnamed worker.
    const sample = workers.find((w) => w.kind === 'release-binary')!;
    log(`  reference: ${sample.name} as the workers CI job publishes it (curl, tar, iii trigger polls; up to 120 s)`);
    // The repository's Rust workers live in a folder named after their namespace and register unnamed; every
    // release binary here is the fixture (`rs011::*`), so the job is told that namespace as the worker's folder.
    const namespace = (rustExpected ?? interfaceNames(join(root, 'dist', 'workers', sample.name, 'worker-interface.json'))).functions[0].split('::')[0];
    const { interface_file: _, ...reference } = await referenceJob({
      folder: namespace,
      bin: sample.name,
      workerDir: join(root, 'workers', sample.name),
      start: { mode: 'release-binary', archiveUrl: ws.archiveUrl(sample) },
      workDir: space.dir('reference-job'),
    });
    log(`  reference: ${(reference.total_ms / 1000).toFixed(1)} s for one worker (${reference.polls} polls)`);

    const kinds: Record<string, number> = {};
    for (const w of workers) kinds[w.kind] = (kinds[w.kind] ?? 0) + 1;
    const last = cold[cold.length - 1].taskMs;
    const orNaN = (values: number[]) => summarize(values.length > 0 ? values : [NaN]);
    return {
      workers: workers.length,
      kinds,
      // What the workers registered (the release binaries register the Rust fixture's functions, not their shape's).
      functions_total: workers.reduce((sum, w) => sum + interfaceNames(join(root, 'dist', 'workers', w.name, 'worker-interface.json')).functions.length, 0),
      download_gb: Math.round((ws.downloadBytes / 1024 ** 3) * 100) / 100,
      parallel_search: search,
      best_parallel: best,
      cold: summarize(cold.map((o) => o.wallMs)),
      warm: summarize(warm.map((o) => o.wallMs)),
      peak_rss_mb_cold: Math.max(...cold.map((o) => o.peakRssMb)),
      peak_rss_mb_warm: Math.max(...warm.map((o) => o.peakRssMb)),
      cold_task_ms: { collect: orNaN(last.collect), publish: orNaN(last.publish) },
      cold_step_totals_ms: cold[cold.length - 1].stepTotals,
      cpu_ms: { cold: medianCpu(cold), warm: medianCpu(warm) },
      reference_one_worker: { ...reference, worker: sample.name, asset_mb: Math.round((sample.assetBytes / 1024 ** 2) * 10) / 10, functions: (rustExpected?.functions.length ?? sample.functions) },
    };
  } finally {
    await ws.close();
  }
}
