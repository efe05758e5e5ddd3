/**
 * The seed pull request's race (workers PR #76) on the real Rust fixture worker, each variant from a cold state:
 *  - seed_cargo_run: the May job, `cargo run --bin <bin>` with an empty CARGO_TARGET_DIR (crates already in cargo's
 *    registry cache), 2 s polls through one `iii trigger` process per call, until the interface is written;
 *  - seed_release_binary: the job after #76, the release binary fetched with curl, `tar -xzf`, run from the worker
 *    folder, the same polls;
 *  - release_binary: `nx run <bin>:collect-interface --skip-nx-cache` with an empty download cache;
 *  - build_output: `nx run <bin>-built:collect-interface`, collection's cache missed, the binary restored by Nx from
 *    the `build` target's cache (its `target/` deleted before each run);
 *  - cache_hit: the same `nx run` as release_binary when Nx restores the interface (deleted before each run).
 * Each variant's interface must list the same functions and trigger types, or the run fails.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { assertNxSucceeded, runNx } from '../lib/nx-runner';
import { summarize, type Summary } from '../lib/stats';
import type { TempSpace } from '../lib/temp-space';
import { referenceJob, ReferenceJobError, type ReferenceStart } from '../reference/reference-job';
import { expectedInterfaceNames, findPinnedRustFixture, interfaceNames, layRustWorker } from '../seed-race/rust-fixture';
import { createSeedRaceWorkspace, RUN_INPUT_ENV } from '../seed-race/seed-race-workspace';

const CACHE_HIT = /from the cache|\[local cache\]|existing outputs match the cache/i;

export interface SeedRaceResults {
  crate: string;
  crate_version: string;
  sdk: string;
  sdk_version: string;
  binary_mb: number;
  archive_mb: number;
  seed_cargo_run_ms: Summary;
  seed_release_binary_ms: Summary;
  /** The same job on the fixture as the repository's unnamed Rust workers are collected (the 120 s wait). */
  seed_release_binary_unnamed_ms: Summary;
  unnamed_folder: string;
  release_binary_ms: Summary;
  build_output_ms: Summary;
  cache_hit_ms: Summary;
  /** Job start → the first poll that lists the worker: the seed PR's "worker boots" (compile or download + boot). */
  seed_cargo_run_worker_seen_ms: Summary;
  seed_release_binary_worker_seen_ms: Summary;
  /** cargo's own build time in the May job's runs ("Finished … in N s"). */
  seed_cargo_run_compile_ms: Summary;
  /** Runs of the May job that failed (the cold build outlasted the 120 s wait): the first line of each error. */
  seed_cargo_run_failures: string[];
  /** Where the seed jobs' interfaces differ from what the worker registers (ours never may). */
  seed_interface_differences: string[];
  functions: number;
  trigger_types: number;
}


const orNaN = (values: number[]) => summarize(values.length > 0 ? values : [NaN]);

/** cargo's own "Finished `dev` profile … in 95.31s" line in the worker log of a seed job (cargo-run). */
function cargoCompileMs(workDir: string): number | undefined {
  const log = readdirSync(workDir).find((name) => name.startsWith('worker-') && name.endsWith('.log'));
  if (!log) return undefined;
  const match = /Finished .* in (?:(\d+)m )?([\d.]+)s/.exec(readFileSync(join(workDir, log), 'utf8'));
  return match ? (Number(match[1] ?? 0) * 60 + Number(match[2])) * 1000 : undefined;
}

export async function benchSeedRace(space: TempSpace, runs: number, log: (line: string) => void): Promise<SeedRaceResults> {
  const fixture = findPinnedRustFixture();
  const ws = await createSeedRaceWorkspace(space, fixture, log);
  try {
    let expected = expectedInterfaceNames(fixture);
    /** Ours must collect exactly the expected interface; the seed's jobs are measured as they are (see seedDiffs). */
    const check = (file: string, what: string) => {
      const got = existsSync(file) ? interfaceNames(file) : undefined;
      expected ??= got;
      if (!got || got.functions.length === 0 || JSON.stringify(got) !== JSON.stringify(expected)) {
        throw new Error(`bench: ${what} collected ${JSON.stringify(got)} (${file}), expected ${JSON.stringify(expected)}`);
      }
    };
    /** What a seed job's interface has that the worker does not register, or lacks (the May CWI published the global `log` trigger type, fixed by #77). */
    const seedDiffs = new Set<string>();
    const compareSeed = (file: string, what: string) => {
      const got = interfaceNames(file);
      const want = expected ?? got;
      for (const key of ['functions', 'triggers'] as const) {
        for (const name of got[key]) if (!want[key].includes(name)) seedDiffs.add(`${what}: extra ${key === 'functions' ? 'function' : 'trigger type'} ${name}`);
        for (const name of want[key]) if (!got[key].includes(name)) seedDiffs.add(`${what}: missing ${key === 'functions' ? 'function' : 'trigger type'} ${name}`);
      }
    };

    // The workers repository's Rust workers register as `host:pid` under their folder's namespace, so the seed's
    // collector never finds them by name and waits its full 120 s. The fixture names itself; a copy in a folder
    // named after its namespace (`rs011` for `rs011::add`) is collected the way those workers are.
    if (!expected) throw new Error(`bench: the Rust fixture ${fixture.sourceDir} has no expected-interface.json`);
    const namespace = expected.functions[0].split('::')[0];
    const unnamedDir = join(space.dir('seed-unnamed'), namespace);
    layRustWorker(fixture, unnamedDir);

    const seedJob = async (start: ReferenceStart, what: string, folder = ws.releaseProject, workerDir = ws.workerDir) => {
      const workDir = space.dir('seed-job');
      try {
        const result = await referenceJob({ folder, bin: fixture.bin, workerDir, start, workDir, finishBuildOnFailureMs: 30 * 60_000 });
        compareSeed(result.interface_file, what);
        return { ...result, failure: undefined, compile_ms: cargoCompileMs(workDir) };
      } catch (error) {
        // The May job fails when the cold build outlasts collect_worker_interface.py's 120 s wait: a result, not a bench error.
        if (start.mode !== 'cargo-run' || !(error instanceof ReferenceJobError)) throw error;
        const failure = (error as Error).message.split('\n')[0];
        log(`  ${what} failed: ${failure}`);
        return { total_ms: error.failedAfterMs, worker_seen_ms: null, failure, compile_ms: cargoCompileMs(workDir) };
      }
    };
    const interfaceOf = (dir: string) => join(ws.root, 'dist', dir, 'worker-interface.json');
    const nx = async (args: string[], what: string, env: Record<string, string>) => assertNxSucceeded(await runNx(ws.root, args, { env, timeoutMs: 600_000 }), what);
    const releaseArgs = (cacheDir: string, extra: string[] = []) => [
      'run',
      `${ws.releaseProject}:collect-interface`,
      ...extra,
      `--tag=${ws.tag}`,
      `--releaseBaseUrl=${ws.releaseBaseUrl}`,
      `--cacheDir=${cacheDir}`,
    ];

    const samples = {
      seedCargo: [] as number[],
      seedCargoSeen: [] as number[],
      seedCargoCompile: [] as number[],
      seedCargoFailures: [] as string[],
      seedRelease: [] as number[],
      seedReleaseUnnamed: [] as number[],
      seedReleaseSeen: [] as number[],
      release: [] as number[],
      built: [] as number[],
      hit: [] as number[],
    };
    // Warm-up (untimed): the first nx runs of each kind, and the one that fills collection's cache for the hits.
    const sharedCache = space.dir('seed-race-download-cache');
    await nx(releaseArgs(sharedCache), 'the cache-filling collect-interface run', { [RUN_INPUT_ENV]: 'hit' });
    check(interfaceOf(join('workers', fixture.bin)), 'collect-interface (release-binary)');

    // Rounds of all five, so load on the machine falls on each alike.
    for (let run = 0; run < runs; run++) {
      const release = await seedJob({ mode: 'release-binary', archiveUrl: ws.archiveUrl }, 'the seed job (release binary)');
      samples.seedRelease.push(release.total_ms);
      if (release.worker_seen_ms !== null) samples.seedReleaseSeen.push(release.worker_seen_ms);

      const unnamed = await seedJob({ mode: 'release-binary', archiveUrl: ws.archiveUrl }, 'the seed job (release binary, unnamed)', namespace, unnamedDir);
      samples.seedReleaseUnnamed.push(unnamed.total_ms);

      const cold = await nx(releaseArgs(space.dir('seed-race-cold-cache'), ['--skip-nx-cache']), 'collect-interface, release binary, cold', { [RUN_INPUT_ENV]: 'cold' });
      check(interfaceOf(join('workers', fixture.bin)), 'collect-interface (release-binary)');
      samples.release.push(cold.wallMs);

      rmSync(join(ws.builtDir, 'target'), { recursive: true, force: true });
      const built = await nx(['run', `${ws.builtProject}:collect-interface`], 'collect-interface, build output', { [RUN_INPUT_ENV]: `built-${run}-${Date.now()}` });
      if (!/build-output/.test(built.output)) throw new Error(`bench: ${ws.builtProject} was not collected from its build output:\n${built.output.slice(-2000)}`);
      check(interfaceOf(join('built', fixture.bin)), 'collect-interface (build-output)');
      samples.built.push(built.wallMs);

      const iface = interfaceOf(join('workers', fixture.bin));
      rmSync(iface, { force: true }); // a hit must restore it
      const hit = await nx(releaseArgs(sharedCache), 'collect-interface, cache hit', { [RUN_INPUT_ENV]: 'hit' });
      if (!CACHE_HIT.test(hit.output)) throw new Error(`bench: expected a cache hit, Nx said:\n${hit.output.slice(-2000)}`);
      check(iface, 'collect-interface (cache hit)');
      samples.hit.push(hit.wallMs);

      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      log(`  run ${run + 1}: seed release binary ${s(release.total_ms)} (unnamed ${s(unnamed.total_ms)}), ours: release binary ${s(cold.wallMs)}, build output ${s(built.wallMs)}, cache hit ${s(hit.wallMs)}; now the May job's cold cargo run`);
      // The May job last: its cold build takes minutes, and a slip anywhere else should show up before it.
      const targetDir = space.dir('cargo-target-cold');
      const cargo = await seedJob({ mode: 'cargo-run', targetDir }, 'the seed job (cargo run)');
      rmSync(targetDir, { recursive: true, force: true });
      samples.seedCargo.push(cargo.total_ms);
      if (cargo.worker_seen_ms !== null) samples.seedCargoSeen.push(cargo.worker_seen_ms);
      if (cargo.compile_ms !== undefined) samples.seedCargoCompile.push(cargo.compile_ms);
      if (cargo.failure) samples.seedCargoFailures.push(cargo.failure);

      log(
        `  run ${run + 1}: seed cargo run ${s(cargo.total_ms)}${cargo.failure ? ' FAILED' : ''} ` +
          `(cargo build ${cargo.compile_ms === undefined ? '?' : s(cargo.compile_ms)}, worker seen at ${cargo.worker_seen_ms === null ? '-' : s(cargo.worker_seen_ms)})`,
      );
    }
    return {
      crate: fixture.crate,
      crate_version: fixture.version,
      sdk: 'iii-sdk (crates.io)',
      sdk_version: fixture.sdkVersion,
      binary_mb: Math.round((ws.binaryBytes / 1024 ** 2) * 10) / 10,
      archive_mb: Math.round((ws.archiveBytes / 1024 ** 2) * 10) / 10,
      seed_cargo_run_ms: summarize(samples.seedCargo),
      seed_release_binary_ms: summarize(samples.seedRelease),
      seed_release_binary_unnamed_ms: summarize(samples.seedReleaseUnnamed),
      unnamed_folder: namespace,
      release_binary_ms: summarize(samples.release),
      build_output_ms: summarize(samples.built),
      cache_hit_ms: summarize(samples.hit),
      seed_cargo_run_worker_seen_ms: orNaN(samples.seedCargoSeen),
      seed_cargo_run_compile_ms: orNaN(samples.seedCargoCompile),
      seed_cargo_run_failures: samples.seedCargoFailures,
      seed_interface_differences: [...seedDiffs],
      seed_release_binary_worker_seen_ms: orNaN(samples.seedReleaseSeen),
      functions: expected?.functions.length ?? 0,
      trigger_types: expected?.triggers.length ?? 0,
    };
  } finally {
    await ws.close();
  }
}
