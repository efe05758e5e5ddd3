/**
 * `npm run bench`: speed, scale and memory of nx-worker-publish against the workers CI's way of collecting.
 * Prints a table and writes dist/bench/results.json (+ results.md). Everything runs on 127.0.0.1 in a temp folder.
 *
 *   node tools/bench/dist/bench/src/main.js [--runs 5] [--seed-runs 3] [--repo-runs 3] [--repo-parallel 8,16] [--results <stem>]
 *     [--only seed_race,registration,cold,download,cache,parallel,rss,repo_scale,big_worker] [--keep-temp]
 *   node tools/bench/dist/bench/src/main.js repo_scale        (scenario names may also be given bare)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBenchWorkspace, type BenchWorkspace } from './lib/bench-workspace';
import { currentLoad, machineInfo } from './lib/machine';
import { repositoryRoot } from './lib/paths';
import type { Summary } from './lib/stats';
import { TempSpace } from './lib/temp-space';
import { GOALS, type GoalCheck } from './report/goals';
import { ms, renderTable, type Row } from './report/table';
import { benchBigWorker } from './scenarios/big-worker';
import { benchCacheHit } from './scenarios/cache-hit';
import { benchDownloadExtract, type DownloadExtractResults } from './scenarios/download-extract';
import { benchColdCollect, type ColdCollectResults } from './scenarios/cold-collect';
import { benchParallel } from './scenarios/parallel';
import { benchPeakRss, BIG_ASSET_MB, type PeakRssResults } from './scenarios/peak-rss';
import { benchRegistrationToInterface, type RegistrationResults } from './scenarios/registration-to-interface';
import { benchRepoScale, DEFAULT_PARALLEL_CANDIDATES, type RepoScaleResults } from './scenarios/repo-scale';
import { benchSeedRace, type SeedRaceResults } from './scenarios/seed-race';

const SCENARIOS = ['seed_race', 'registration', 'cold', 'download', 'cache', 'parallel', 'rss', 'repo_scale', 'big_worker'] as const;
type Scenario = (typeof SCENARIOS)[number];
const COLD_ARCHIVE_MB = 50;

interface Args {
  runs: number;
  /** Timed cold and warm runs of repo_scale at the best parallelism (each cold run takes tens of seconds). */
  repoRuns: number;
  repoParallel: number[];
  /** Rounds of seed_race (each round compiles the fixture worker cold once). */
  seedRuns: number;
  only: Set<Scenario>;
  keepTemp: boolean;
  /** File stem of the results in dist/bench (default: results, or results-partial for a run with --only). */
  resultsStem?: string;
}

function parseArgs(argv: string[]): Args {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
  };
  const runs = Number(value('--runs') ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${value('--runs')}`);
  // `npm run bench -- repo_scale` = `--only repo_scale`
  const positional = argv.filter((arg, i) => !arg.startsWith('--') && !['--runs', '--only', '--repo-runs', '--repo-parallel', '--seed-runs', '--results'].includes(argv[i - 1]));
  const named = [...(value('--only')?.split(',') ?? []), ...positional.flatMap((arg) => arg.split(','))];
  const only = (named.length > 0 ? named : [...SCENARIOS]) as Scenario[];
  const unknown = only.filter((s) => !SCENARIOS.includes(s));
  if (unknown.length > 0) throw new Error(`--only takes ${SCENARIOS.join(',')}; unknown: ${unknown.join(',')}`);
  const repoRuns = Number(value('--repo-runs') ?? Math.min(runs, 3));
  if (!Number.isInteger(repoRuns) || repoRuns < 1) throw new Error(`--repo-runs must be a positive integer, got ${value('--repo-runs')}`);
  const repoParallel = (value('--repo-parallel')?.split(',') ?? DEFAULT_PARALLEL_CANDIDATES.map(String)).map(Number);
  if (repoParallel.some((p) => !Number.isInteger(p) || p < 1)) throw new Error(`--repo-parallel takes positive integers, e.g. 2,4,8; got ${value('--repo-parallel')}`);
  const seedRuns = Number(value('--seed-runs') ?? Math.min(runs, 3));
  if (!Number.isInteger(seedRuns) || seedRuns < 1) throw new Error(`--seed-runs must be a positive integer, got ${value('--seed-runs')}`);
  const resultsStem = value('--results');
  if (resultsStem !== undefined && !/^[\w.-]+$/.test(resultsStem)) throw new Error(`--results takes a file stem such as results-seed, got ${resultsStem}`);
  return { runs, repoRuns, repoParallel, seedRuns, only: new Set(only), keepTemp: argv.includes('--keep-temp'), resultsStem };
}

const log = (line: string) => console.log(line);
/** The cold run's main step totals, short enough for a table cell (all of them are in results.json). */
const stepTotals = (t: Partial<Record<string, number>>) =>
  `launch plan ${ms(t.launch_plan ?? 0)} (download ${ms(t.download ?? 0)}), worker boot + settle ${ms(t.worker_boot ?? 0)}, collect + write ${ms((t.collect ?? 0) + (t.write ?? 0))}`;
const cpuTotals = (cpu: Record<string, number>) => ['nx', 'executors', 'workers', 'release_server'].map((kind) => ms(cpu[kind] ?? 0)).join(', ');
const rounded = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
/** A summary without its raw samples, for the table-like fields of results.json. */
const timing = (s: Summary) => ({ median: s.median, min: s.min, max: s.max, runs: s.runs, samples: s.samples });

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const space = new TempSpace();
  const cleanup = () => {
    if (!args.keepTemp) space.remove();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanup();
      process.exit(130);
    });
  }
  log(`bench: temp folder ${space.root}, ${args.runs} runs per timing\n`);
  const started = Date.now();
  const results: Record<string, unknown> = { generated_at: new Date().toISOString(), machine: machineInfo(), runs: args.runs };
  const rows: Row[] = [];
  const goals: GoalCheck[] = [];
  const goal = (check: GoalCheck) => {
    goals.push(check);
    return check.met;
  };
  let ws: BenchWorkspace | undefined;

  try {
    if (args.only.has('seed_race')) {
      log('\nseed_race: the seed PR\'s race on the real Rust fixture worker (the May job, the job after #76, and ours), each cold');
      const r: SeedRaceResults = await benchSeedRace(space, args.seedRuns, log);
      const ratio = r.release_binary_ms.median / r.seed_release_binary_ms.median;
      results.seed_race = {
        crate: r.crate,
        crate_version: r.crate_version,
        sdk: r.sdk,
        sdk_version: r.sdk_version,
        binary_mb: r.binary_mb,
        archive_mb: r.archive_mb,
        functions: r.functions,
        trigger_types: r.trigger_types,
        seed_cargo_run_ms: timing(r.seed_cargo_run_ms),
        seed_release_binary_ms: timing(r.seed_release_binary_ms),
        seed_release_binary_unnamed_ms: { ...timing(r.seed_release_binary_unnamed_ms), folder: r.unnamed_folder },
        release_binary_ms: timing(r.release_binary_ms),
        build_output_ms: timing(r.build_output_ms),
        cache_hit_ms: timing(r.cache_hit_ms),
        seed_cargo_run_worker_seen_ms: timing(r.seed_cargo_run_worker_seen_ms),
        seed_cargo_run_compile_ms: timing(r.seed_cargo_run_compile_ms),
        seed_cargo_run_failures: r.seed_cargo_run_failures,
        seed_interface_differences: r.seed_interface_differences,
        seed_release_binary_worker_seen_ms: timing(r.seed_release_binary_worker_seen_ms),
        ratios: {
          release_binary_vs_seed_release_binary: rounded(ratio, 2),
          release_binary_vs_seed_cargo_run: rounded(r.release_binary_ms.median / r.seed_cargo_run_ms.median, 3),
          release_binary_vs_seed_release_binary_unnamed: rounded(r.release_binary_ms.median / r.seed_release_binary_unnamed_ms.median, 3),
          seed_release_binary_vs_seed_cargo_run: rounded(r.seed_release_binary_ms.median / r.seed_cargo_run_ms.median, 3),
          build_output_vs_seed_release_binary: rounded(r.build_output_ms.median / r.seed_release_binary_ms.median, 2),
          cache_hit_vs_seed_release_binary: rounded(r.cache_hit_ms.median / r.seed_release_binary_ms.median, 2),
        },
      };
      const vsSeed = (s: Summary) => `${rounded(s.median / r.seed_release_binary_ms.median, 2)}× seed after`;
      const raceTarget = `≤ ${GOALS.seedRaceReleaseVsSeedAfter}× seed after = ${ms(GOALS.seedRaceReleaseVsSeedAfter * r.seed_release_binary_ms.median)}`;
      const raceMet = goal({ goal: 'seed race: ours, release binary cold', target: raceTarget, actual: `${ms(r.release_binary_ms.median)} (${rounded(ratio, 2)}×)`, met: ratio <= GOALS.seedRaceReleaseVsSeedAfter });
      const hitMet = goal({ goal: 'seed race: ours, cache hit', target: `≤ ${ms(GOALS.cacheHitMs)}`, actual: ms(r.cache_hit_ms.median), met: r.cache_hit_ms.median <= GOALS.cacheHitMs });
      rows.push(
        { label: `seed race: ${r.crate} on iii-sdk ${r.sdk_version} (${r.functions} functions, ${r.trigger_types} trigger types; binary ${r.binary_mb} MB, asset ${r.archive_mb} MB)`, value: '' },
        { label: '  seed, before (May job: cargo run, empty target dir, 2 s polls)', summary: r.seed_cargo_run_ms, goal: `${rounded(r.seed_cargo_run_ms.median / r.seed_release_binary_ms.median, 1)}× seed after` },
        { label: '    of which until a poll lists the worker (compile + boot)', summary: r.seed_cargo_run_worker_seen_ms },
        { label: '    cargo\'s own build time (cold debug build)', summary: r.seed_cargo_run_compile_ms },
        ...(r.seed_cargo_run_failures.length > 0 ? [{ label: `    failed runs (the build outlasted the 120 s wait)`, value: `${r.seed_cargo_run_failures.length} of ${r.seed_cargo_run_ms.runs}` }] : []),
        { label: '  seed, after (PR #76: curl, tar -xzf, 2 s polls)', summary: r.seed_release_binary_ms },
        { label: '    of which until a poll lists the worker', summary: r.seed_release_binary_worker_seen_ms },
        { label: `  seed, after, unnamed like the repository's Rust workers (folder ${r.unnamed_folder}: the 120 s wait)`, summary: r.seed_release_binary_unnamed_ms, goal: `ours ${rounded(r.release_binary_ms.median / r.seed_release_binary_unnamed_ms.median, 3)}×` },
        ...r.seed_interface_differences.map((d) => ({ label: `    the seed's interface is wrong: ${d}`, value: '' })),
        { label: '  ours: release-binary, cold (no Nx cache, no download cache)', summary: r.release_binary_ms, goal: raceTarget, met: raceMet },
        { label: '  ours: build-output (binary restored from the build target\'s cache)', summary: r.build_output_ms, goal: vsSeed(r.build_output_ms) },
        { label: '  ours: cache hit of collect-interface', summary: r.cache_hit_ms, goal: `≤ ${ms(GOALS.cacheHitMs)}`, met: hitMet },
      );
    }

    if (args.only.has('registration')) {
      const r: RegistrationResults = await benchRegistrationToInterface(space, args.runs, log);
      const speedup = r.reference.median / r.plugin_legacy.median;
      Object.assign(results, {
        registration_to_interface_ms: timing(r.plugin_current),
        registration_to_interface_legacy_engine_ms: timing(r.plugin_legacy),
        reference_registration_to_interface_ms: timing(r.reference),
        reference_details: { iii_trigger_process_ms: timing(r.reference_cli_call_ms), workers_list_polls: timing(r.reference_polls), poll_interval_ms: 2000 },
        speedup_vs_reference: rounded(speedup, 0),
      });
      // Settling (the registration must be unchanged settle_ms before it is read) is the floor of both intervals.
      const settleGoalMs = r.settle_ms + GOALS.lastRegistrationOverSettleMs;
      const settleTarget = `≤ settle + ${GOALS.lastRegistrationOverSettleMs} ms = ${ms(settleGoalMs)}`;
      Object.assign(results, {
        last_registration_to_interface_ms: { ...timing(r.last_registration_to_interface), settle_ms: r.settle_ms, by_collector: timing(r.last_registration_to_interface_by_collector) },
      });
      const lastMet = goal({ goal: 'last registration change → interface (median)', target: settleTarget, actual: ms(r.last_registration_to_interface.median), met: r.last_registration_to_interface.median <= settleGoalMs });
      const fastEnough = goal({ goal: 'registration → interface (median)', target: settleTarget, actual: ms(r.plugin_current.median), met: r.plugin_current.median <= settleGoalMs });
      const fasterThanReference = goal({ goal: 'speedup vs reference (same legacy engine)', target: `≥ ${GOALS.speedupVsReference}×`, actual: `${rounded(speedup, 0)}×`, met: speedup >= GOALS.speedupVsReference });
      rows.push(
        { label: 'last registration change → interface (current engine)', summary: r.last_registration_to_interface, goal: settleTarget, met: lastMet },
        { label: '  the same, as the collector reports it', summary: r.last_registration_to_interface_by_collector },
        { label: 'registration → interface, plugin (current engine)', summary: r.plugin_current, goal: settleTarget, met: fastEnough },
        { label: 'registration → interface, plugin (legacy engine)', summary: r.plugin_legacy },
        { label: 'registration → interface, reference (legacy engine)', summary: r.reference },
        { label: '  reference: one `iii trigger` process', summary: r.reference_cli_call_ms },
        { label: 'speedup vs reference (legacy vs legacy)', value: `${rounded(speedup, 0)}×`, goal: `≥ ${GOALS.speedupVsReference}×`, met: fasterThanReference },
      );
    }

    if (args.only.has('big_worker')) {
      log('\nbig worker: 20,000 functions, read after settling (embedded engine)');
      const b = await benchBigWorker(space, Math.min(args.runs, 3), log);
      results.big_worker = { functions: b.functions, read_ms: timing(b.read), settle_proof_ms: timing(b.settle_proof) };
      const target = `≤ ${ms(GOALS.bigWorkerReadMs)}`;
      const met = goal({ goal: `${b.functions} functions read after settling`, target, actual: ms(b.read.median), met: b.read.median <= GOALS.bigWorkerReadMs });
      rows.push(
        { label: `${b.functions} functions read after settling`, summary: b.read, goal: target, met },
        { label: '  settle proof on the quiet worker (ping → pong)', summary: b.settle_proof },
      );
    }

    if (['cold', 'download', 'cache', 'parallel', 'rss'].some((name) => args.only.has(name as Scenario))) {
      log(`\nbench workspace: Nx workspace + release server, ${COLD_ARCHIVE_MB} MB release asset`);
      ws = await createBenchWorkspace(space, COLD_ARCHIVE_MB);
    }

    if (args.only.has('cold')) {
      log('\ncold collect: nx run relbin:collect-interface --skip-nx-cache --tag=… (fresh download cache)');
      const c: ColdCollectResults = await benchColdCollect(space, ws!, args.runs, log);
      const breakdown = Object.fromEntries(Object.entries(c.breakdown).map(([key, s]) => [key, timing(s!)]));
      Object.assign(results, {
        cold_collect_ms: { ...timing(c.cold_collect), archive_mb: c.archive_mb, breakdown, breakdown_source: c.breakdown_source },
        worker_boot_to_registration_ms: timing(c.worker_boot_to_registration),
        transfer_ms: { ...timing(c.transfer), tool: c.transfer_tool },
        nx_noop_ms: timing(c.nx_noop),
        nx_until_task_start_ms: timing(c.nx_until_task_start),
        task_process_start_ms: timing(c.task_process_start),
        after_write_to_exit_ms: timing(c.after_write_to_exit),
        plugin_overhead_ms: timing(c.plugin_overhead),
        plugin_overhead_in_executor_ms: { ...timing(c.plugin_overhead_in_executor), settle_ms_subtracted: c.settle_ms },
        plugin_overhead_nx_share_ms: timing(c.nx_share),
      });
      // Nx's own start-up is outside the plugin's control: the goal is on the executor's share.
      const inExecutorMet = goal({ goal: 'plugin overhead inside the executor (steps − boot − settle − transfer)', target: `≤ ${GOALS.pluginOverheadInExecutorMs} ms`, actual: ms(c.plugin_overhead_in_executor.median), met: c.plugin_overhead_in_executor.median <= GOALS.pluginOverheadInExecutorMs });
      rows.push({ label: `cold collect, ${c.archive_mb} MB release binary (whole nx run)`, summary: c.cold_collect });
      for (const [key, s] of Object.entries(c.breakdown)) rows.push({ label: `  ${key}`, summary: s });
      if (!c.breakdown.verify) rows.push({ label: '  verify', value: 'not exposed' });
      rows.push(
        { label: '  Nx: start-up, project graph, hashing', summary: c.nx_until_task_start },
        { label: '  Nx: task process fork + executor load', summary: c.task_process_start },
        { label: '  after "interface written" until nx exits', summary: c.after_write_to_exit },
        { label: 'worker boot → registration (binary alone)', summary: c.worker_boot_to_registration },
        { label: `transfer of the asset over loopback (${c.transfer_tool})`, summary: c.transfer },
        { label: 'nx run baseline:noop (Nx itself)', summary: c.nx_noop },
        { label: 'plugin overhead inside the executor (steps − boot − settle − transfer)', summary: c.plugin_overhead_in_executor, goal: `≤ ${GOALS.pluginOverheadInExecutorMs} ms`, met: inExecutorMet },
        { label: '  beside it: Nx\'s share (cold − executor steps)', summary: c.nx_share },
        { label: '  beside it: cold − boot − settle − transfer (whole nx run)', summary: c.plugin_overhead },
      );
    }

    if (args.only.has('download')) {
      log(`\ndownload + hash + extract of the ${COLD_ARCHIVE_MB} MB asset vs curl and tar -xzf (same run, interleaved)`);
      const d: DownloadExtractResults = await benchDownloadExtract(space, ws!, args.runs, log);
      const floor = Math.max(d.transfer.median, d.tar_extract.median);
      const ratio = d.download_extract.median / floor;
      Object.assign(results, {
        download_extract_ms: { ...timing(d.download_extract), asset_mb: d.asset_mb, breakdown: Object.fromEntries(Object.entries(d.breakdown).map(([k, v]) => [k, timing(v)])) },
        download_extract_transfer_ms: { ...timing(d.transfer), tool: d.transfer_tool },
        tar_extract_ms: timing(d.tar_extract),
        curl_pipe_tar_ms: timing(d.pipe),
        download_extract_cpu_ms: Object.fromEntries(Object.entries(d.cpu).map(([k, v]) => [k, timing(v)])),
        download_extract_vs_floor: rounded(ratio, 2),
        download_extract_vs_pipe: rounded(d.download_extract.median / d.pipe.median, 2),
      });
      const target = `≤ ${GOALS.downloadExtractVsFloor} × max(transfer, tar) = ${ms(GOALS.downloadExtractVsFloor * floor)}`;
      const met = goal({ goal: `download + hash + extract, ${d.asset_mb} MB`, target, actual: `${ms(d.download_extract.median)} (${rounded(ratio, 2)}×)`, met: ratio <= GOALS.downloadExtractVsFloor });
      rows.push(
        { label: `download + hash + extract, ${d.asset_mb} MB (plugin, cold cache)`, summary: d.download_extract, goal: target, met },
        { label: '  download (hash + extraction run meanwhile)', summary: d.breakdown.download },
        { label: '  extraction tail after the last byte', summary: d.breakdown.extract_tail },
        { label: `  same run: transfer (${d.transfer_tool})`, summary: d.transfer },
        { label: '  same run: tar -xzf of the same file', summary: d.tar_extract },
        { label: '  same run: curl | tar -xzf - (both floors in one streaming pass, no hash)', summary: d.pipe },
        { label: '  CPU: plugin process (all threads) + release server', value: `${ms(d.cpu.plugin.median)} + ${ms(d.cpu.server_for_plugin.median)}` },
        { label: '  CPU: curl + release server; tar -xzf; curl | tar', value: `${ms(d.cpu.curl.median)} + ${ms(d.cpu.server_for_curl.median)}; ${ms(d.cpu.tar.median)}; ${ms(d.cpu.pipe.median)}` },
      );
    }

    if (args.only.has('cache')) {
      log('\ncache hit: nx run relbin:collect-interface (restored from the Nx cache)');
      const { hit, isolatedPlugins } = await benchCacheHit(space, ws!, args.runs, log);
      results.cache_hit_ms = timing(hit);
      results.cache_hit_isolated_plugins_ms = timing(isolatedPlugins);
      const met = goal({ goal: 'cache hit (whole nx run)', target: `≤ ${GOALS.cacheHitMs} ms`, actual: ms(hit.median), met: hit.median <= GOALS.cacheHitMs });
      rows.push(
        { label: 'cache hit (whole nx run)', summary: hit, goal: `≤ ${ms(GOALS.cacheHitMs)}`, met },
        { label: "  the same with Nx's default plugin isolation (a process per plugin)", summary: isolatedPlugins },
      );
    }

    if (args.only.has('parallel')) {
      log('\nparallel: nx run-many -t collect-interface --parallel=N --skip-nx-cache');
      const parallel = await benchParallel(ws!, args.runs, log);
      results.parallel = Object.fromEntries(Object.entries(parallel).map(([n, v]) => [n, { wall_ms: timing(v.wall_ms) }]));
      const one = parallel['1'].wall_ms.median;
      const eight = parallel['8'].wall_ms.median;
      const ratio = eight / one;
      results.parallel_8_vs_1 = rounded(ratio, 2);
      const met = goal({ goal: '8 workers in parallel vs 1', target: `≤ ${GOALS.parallel8VsOne}×`, actual: `${rounded(ratio, 2)}×`, met: ratio <= GOALS.parallel8VsOne });
      for (const [n, v] of Object.entries(parallel)) {
        rows.push(n === '8' ? { label: `run-many, ${n} workers --parallel=${n}`, summary: v.wall_ms, goal: `≤ 2× 1 worker (${rounded(ratio, 2)}×)`, met } : { label: `run-many, ${n} worker${n === '1' ? '' : 's'} --parallel=${n}`, summary: v.wall_ms });
      }
    }

    if (args.only.has('rss')) {
      log(`\npeak RSS: download + hash + extract of a ${BIG_ASSET_MB} MB asset in a child process`);
      const rss: PeakRssResults = await benchPeakRss(space, ws!, args.runs, log);
      Object.assign(results, {
        peak_rss_mb_200mb_asset: rss.peak_rss_mb,
        peak_rss_details: { runs_mb: rss.peak_rss_runs.samples, baseline_rss_mb: rss.baseline_rss_mb, asset_mb: rss.asset_mb, total_ms: timing(rss.total_ms) },
      });
      const met = goal({ goal: `peak RSS, ${BIG_ASSET_MB} MB asset`, target: `≤ ${GOALS.peakRssMb} MB`, actual: `${rss.peak_rss_mb} MB`, met: rss.peak_rss_mb <= GOALS.peakRssMb });
      rows.push(
        { label: `peak RSS, ${rss.asset_mb} MB asset (download+hash+extract)`, value: `${rss.peak_rss_mb} MB`, goal: `≤ ${GOALS.peakRssMb} MB`, met },
        { label: '  same process, module loaded only', value: `${rss.baseline_rss_mb} MB` },
        { label: '  download + hash + extract time', summary: rss.total_ms },
      );
    }

    if (args.only.has('repo_scale')) {
      log(`\nrepo_scale: nx run-many -t collect-interface publish-interface over a workspace shaped like the workers repository (dry-run publish)`);
      const r: RepoScaleResults = await benchRepoScale(space, args.repoRuns, args.repoParallel, log);
      const ref = r.reference_one_worker;
      const referenceVsRepo = rounded(ref.total_ms / r.cold.median, 1);
      results.repo_scale = {
        workers: r.workers,
        kinds: r.kinds,
        functions_total: r.functions_total,
        download_gb: r.download_gb,
        best_parallel: r.best_parallel,
        parallel_search_cold_ms: r.parallel_search,
        cold: { wall_ms: timing(r.cold), peak_rss_mb: r.peak_rss_mb_cold },
        warm: { wall_ms: timing(r.warm), peak_rss_mb: r.peak_rss_mb_warm },
        peak_rss_mb: Math.max(r.peak_rss_mb_cold, r.peak_rss_mb_warm),
        cold_task_ms: { collect: timing(r.cold_task_ms.collect), publish: timing(r.cold_task_ms.publish) },
        cold_step_totals_ms: r.cold_step_totals_ms,
        cpu_ms: r.cpu_ms,
        reference_one_worker: { ...r.reference_one_worker, total_ms: Math.round(r.reference_one_worker.total_ms) },
        reference_one_worker_vs_cold_repo: referenceVsRepo,
      };
      const coldMet = goal({ goal: `repo_scale cold, ${r.workers} workers`, target: `≤ ${ms(GOALS.repoScaleColdMs)}`, actual: ms(r.cold.median), met: r.cold.median <= GOALS.repoScaleColdMs });
      const warmMet = goal({ goal: `repo_scale warm, ${r.workers} workers`, target: `≤ ${ms(GOALS.repoScaleWarmMs)}`, actual: ms(r.warm.median), met: r.warm.median <= GOALS.repoScaleWarmMs });
      const kinds = Object.entries(r.kinds).map(([k, n]) => `${n} ${k}`).join(', ');
      rows.push(
        { label: `repo_scale: ${r.workers} workers (${kinds}), ${r.functions_total} functions`, value: `${r.download_gb} GB of assets` },
        { label: `  cold (no .nx, no dist), --parallel=${r.best_parallel}`, summary: r.cold, goal: `≤ ${ms(GOALS.repoScaleColdMs)}`, met: coldMet },
        { label: `  warm (all cached, dry-run publishes run)`, summary: r.warm, goal: `≤ ${ms(GOALS.repoScaleWarmMs)}`, met: warmMet },
        { label: '  peak RSS of the nx process tree (cold / warm)', value: `${r.peak_rss_mb_cold} / ${r.peak_rss_mb_warm} MB` },
        { label: '  parallelism tried (one cold run each)', value: Object.entries(r.parallel_search).map(([p, t]) => `${p}: ${ms(t)}`).join(', ') },
        { label: '  one collect-interface task (last cold run)', summary: r.cold_task_ms.collect },
        { label: '  one publish-interface task (last cold run)', summary: r.cold_task_ms.publish },
        { label: `  reference: 1 worker (${ref.worker}, ${ref.asset_mb} MB) as the workers CI job does it`, value: `${ms(ref.total_ms)} (${referenceVsRepo}× the whole repository cold)` },
        { label: '    of which download + tar, engine ready, collect (2 s polls, 120 s wait)', value: `${ms(ref.download_extract_ms)}, ${ms(ref.engine_ready_ms)}, ${ms(ref.collect_ms)}` },
        { label: `  steps summed over the ${r.workers} collections (cold; they overlap)`, value: stepTotals(r.cold_step_totals_ms) },
        { label: '  CPU, cold: nx, task processes (the executors), workers, release server', value: cpuTotals(r.cpu_ms.cold) },
        { label: '  CPU, warm: the same', value: cpuTotals(r.cpu_ms.warm) },
      );
    }
  } finally {
    await ws?.close();
    cleanup();
  }

  results.goals = goals;
  results.load_average_1m_at_end = currentLoad();
  results.bench_wall_s = Math.round((Date.now() - started) / 1000);
  const machine = results.machine as ReturnType<typeof machineInfo>;
  const table = renderTable(rows);
  const header =
    `nx-worker-publish bench — ${machine.cores} cores (${machine.cpu_model}), ${machine.memory_gb} GB, Node ${machine.node}, Nx ${machine.nx}; ` +
    `${args.runs} runs per timing; load average ${machine.load_average_1m} at start, ${results.load_average_1m_at_end} at end`;
  const outDir = join(repositoryRoot(), 'dist', 'bench');
  // A partial run (--only) must not replace the full results.
  const stem = args.resultsStem ?? (args.only.size === SCENARIOS.length ? 'results' : 'results-partial');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, `${stem}.json`), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(outDir, `${stem}.md`), `${header}\n\n${table}\n`);
  log(`\n${header}\n\n${table}\n`);
  log(`goals met: ${goals.filter((g) => g.met).length}/${goals.length}; results in ${join(outDir, `${stem}.json`)} (bench took ${results.bench_wall_s} s)`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
