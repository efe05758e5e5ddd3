import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_SETTLE_MS, InterfaceCollector, type SettledWorker } from '../collector/interface-collector';
import { WorkerGoneError } from '../collector/engine-introspection';
import { connectEngine, type EngineClient } from '../engine-client/engine-client';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { collectedFrom } from '../interface/collected-from';
import { serializeInterface, type WorkerInterface } from '../interface/worker-interface';
import { renderLaunchCommand, resolveLaunchPlan, type LaunchPlan, type LaunchPlanInput } from '../launch-plan';
import { cargoBuildArgs, compileCargoWorker, type CargoCompile } from '../launch-plan/cargo-build';
import { addCollectConfigHint } from './collect-config-hint';
import type { WorkerManifest } from '../manifest';
import { formatDuration, timedStep, type Reporter } from '../reporter/step-reporter';
import { findTreeMembers, readProcessTable } from '../process-tree';
import { failOnEarlyExit, startWorkerProcess, WorkerExitedError, type WorkerProcess } from '../worker-process';
import { readWorkerSdk } from '../sdk-version';
import { pickEngine, withSelfReportedVersion } from './pick-engine';
import { checkSdkAgainstEngine } from './sdk-engine-check';
import { startEngine, type EngineChoice, type EngineHandle } from './start-engine';

export interface CollectRequest {
  workspaceRoot: string;
  /** Workspace-relative worker folder. */
  projectRoot: string;
  /** Registry worker name, used to recognise the worker on the engine. */
  worker: string;
  manifest: WorkerManifest;
  launch: Omit<LaunchPlanInput, 'workspaceRoot' | 'projectRoot' | 'manifest' | 'log'>;
  engine: EngineChoice;
  waitSeconds: number;
  /** The worker's functions and trigger types must be unchanged this long before they are read (default 1); 0 = not waited (unsafe). */
  settleSeconds?: number;
  /** Absolute path of the interface file. */
  outputFile: string;
  /** Absolute folder for the worker log. */
  logDir: string;
  /** Environment variables the worker must not inherit (the registry key, tokens). */
  withheldEnv?: string[];
  /** The worker log keeps its last this many bytes (default 16 MiB). */
  logMaxBytes?: number;
  reporter: Reporter;
}

export interface CollectResult {
  iface: WorkerInterface;
  plan: LaunchPlan;
  /**
   * Milliseconds per step (launch_plan, download, engine_ready, worker_boot, collect, write), plus
   * `last_registration_to_interface`: from the last change to the worker's registration the collector saw to the
   * interface file written (at least the settle window).
   */
  timings: Record<string, number>;
}

/**
 * The whole collection: launch plan → engine → worker → wait for registration → interface file. Every process it
 * starts is stopped before it returns or throws; on failure the worker's and engine's log tails are reported.
 */
export async function collectWorkerInterface(request: CollectRequest): Promise<CollectResult> {
  const { reporter } = request;
  const timings: Record<string, number> = {};
  let engine: EngineHandle | undefined;
  let client: EngineClient | undefined;
  let workerProcess: WorkerProcess | undefined;
  let stopRejections: (() => void) | undefined;
  let stopFailures: (() => void) | undefined;
  let collector: InterfaceCollector | undefined;
  let plan: LaunchPlan | undefined;
  try {
    const resolved = await timedStep(
      reporter,
      timings,
      'launch_plan',
      () => resolvePlan(request),
      (p) => `launch plan: ${p.mode} (${p.reason})`,
      'choosing how to start the worker (a release download or install runs now)',
    );
    for (const warning of resolved.warnings) reporter.warn(`⚠ ${warning}`);
    for (const skipped of resolved.skipped) reporter.verbose(`  not ${skipped.mode}: ${skipped.reason}`);
    if (resolved.download) reportDownload(reporter, timings, resolved);
    // Before the engine starts: waitSeconds is for the worker, never for its compile.
    const launched = resolved.compile ? await compileStep(request, timings, resolved, resolved.compile) : resolved;
    plan = launched;

    const sdk = readWorkerSdk(join(request.workspaceRoot, request.projectRoot), request.workspaceRoot);
    const engineChoice = pickEngine(request.engine, sdk);
    engine = await timedStep(reporter, timings, 'engine_ready', () => startEngine(engineChoice), (e) => `engine ready: ${e.description}`, 'starting the engine');
    if (engine.logFile) reporter.verbose(`  engine log: ${engine.logFile}`);
    client = await connectEngine(engine.url);
    // Before the worker starts: a worker whose SDK would hold registrations back from this engine fails here.
    const unchecked = checkSdkAgainstEngine(request.worker, sdk, await withSelfReportedVersion(engine.report, client));
    if (unchecked && engineChoice.kind !== 'embedded') reporter.info(`  ${unchecked}`);
    const active = await InterfaceCollector.start(client);
    collector = active;
    // Only the embedded engine can tell us what it refused; its every connection but the collector's is this task's.
    stopRejections = engine.onRegistrationRejected?.((rejection) => active.noteRejection(rejection));
    const selfId = client.workerId;
    const caughtUp = engine.caughtUp;
    stopFailures = engine.onConnectionFailed?.((failure) => {
      if (failure.workerId !== selfId) active.noteConnectionFailure(failure);
    });

    const command = renderLaunchCommand(launched, engine.url);
    const logFile = join(request.logDir, 'worker.log');
    reporter.verbose(`  worker command: ${[command.command, ...command.args].join(' ')} (in ${command.cwd})`);
    reporter.verbose(`  worker log: ${logFile}`);
    const startedWorker = await startWorkerProcess({ ...command, withheldEnv: request.withheldEnv }, { logFile, logMaxBytes: request.logMaxBytes });
    workerProcess = startedWorker;

    const exitWatch = new AbortController();
    const earlyExit = failOnEarlyExit(startedWorker, undefined, { cleanExitIsExpected: launched.mode === 'iii-worker-add' });
    earlyExit.catch(() => exitWatch.abort()); // also keeps the rejection from going unhandled once the race is over
    const settled = await timedStep(
      reporter,
      timings,
      'worker_boot',
      () =>
        explainDisconnect(
          active.waitForWorker({
            worker: request.worker,
            timeoutMs: request.waitSeconds * 1000,
            settleMs: (request.settleSeconds ?? DEFAULT_SETTLE_MS / 1000) * 1000,
            signal: exitWatch.signal,
            // iii-worker-add runs the worker in a VM whose pids mean nothing here.
            ownsPid: launched.mode === 'iii-worker-add' ? undefined : (pid) => isInTree(startedWorker.pid, pid),
            // The embedded engine proves it has read all the worker sent; elsewhere the quiet window is all there is.
            caughtUp,
          }),
          earlyExit,
        ),
      (found) => `worker registered: ${found.worker.name ?? found.worker.id} (matched by ${matchLabel(found.rule)}, ${describeRegistration(found)})`,
      'starting the worker, waiting for it to register and settle', // a cargo-run compile is over by now: a step of its own
    );

    // Reading may settle again (see readInterface): the worker exiting meanwhile still ends it with its log tail.
    const iface = await timedStep(
      reporter,
      timings,
      'collect',
      () => explainDisconnect(active.readInterface(settled, request.worker), earlyExit),
      () => 'interface read from the engine',
    );
    await timedStep(
      reporter,
      timings,
      'write',
      () => writeFileAtomic(request.outputFile, serializeInterface(iface, collectedFrom(launched.mode, request.launch))),
      () =>
        `interface written: ${plural(iface.functions.length, 'function')}, ${plural(iface.triggers.length, 'trigger')} → ` +
        relative(request.workspaceRoot, request.outputFile),
    );
    timings.last_registration_to_interface = Math.round(performance.now() - settled.lastChangeAt);
    return { iface, plan: launched, timings };
  } catch (error) {
    // The engine closing the worker's connection for a bad frame explains what followed (gone, exited, timed out).
    const cause = collector?.connectionFailure(request.worker) ?? error;
    // A worker that exited already carries its log tail in the error message.
    reportLogTails(reporter, cause instanceof WorkerExitedError ? undefined : workerProcess, engine);
    if (cause instanceof WorkerExitedError && plan) addCollectConfigHint(cause, plan);
    throw cause;
  } finally {
    stopRejections?.();
    stopFailures?.();
    await workerProcess?.stop();
    await client?.close();
    await engine?.stop();
  }
}

/** How long a worker whose connection closed gets to report its exit, so the failure names its exit code. */
const EXIT_AFTER_DISCONNECT_MS = 2000;

/**
 * Races a wait on the engine against the worker's exit. A worker that crashes closes its socket a moment before its
 * process is reaped: when the engine reports it gone first, the exit (code and log tail) is the better explanation.
 */
async function explainDisconnect<T>(wait: Promise<T>, earlyExit: Promise<never>): Promise<T> {
  try {
    return await Promise.race([wait, earlyExit]);
  } catch (error) {
    if (!(error instanceof WorkerGoneError)) throw error;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(error), EXIT_AFTER_DISCONNECT_MS)));
    try {
      return await Promise.race([earlyExit, graceOver]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Start scripts (`npm run dev`) put the SDK process a few levels below the one we spawned. */
const isInTree = (rootPid: number, pid: number) => findTreeMembers(readProcessTable(), [rootPid], [rootPid]).has(pid);

const matchLabel = (rule: string) => (rule === 'single-new-worker' ? 'being the only new worker' : rule);

function resolvePlan(request: CollectRequest): Promise<LaunchPlan> {
  return resolveLaunchPlan({
    ...request.launch,
    workspaceRoot: request.workspaceRoot,
    projectRoot: request.projectRoot,
    manifest: request.manifest,
    log: (line) => request.reporter.verbose(`  ${line}`),
  });
}

/** cargo-run: `cargo build` as a step of its own, with progress; the plan then runs the executable cargo reported. */
async function compileStep(request: CollectRequest, timings: Record<string, number>, plan: LaunchPlan, compile: CargoCompile): Promise<LaunchPlan> {
  const { reporter } = request;
  const logFile = join(request.logDir, 'cargo-build.log');
  reporter.info(`  compiling ${compile.bin}: cargo ${cargoBuildArgs(compile).join(' ')} (in ${relative(request.workspaceRoot, compile.cwd) || '.'})`);
  reporter.verbose(`  cargo log: ${logFile}`);
  const compiled = await timedStep(
    reporter,
    timings,
    'compile',
    () => compileCargoWorker(compile, { logFile, withheldEnv: request.withheldEnv, progress: (line) => reporter.progress?.(`… ${line}`) }),
    (result) => `compiled ${compile.bin} (${compile.profile} profile, ${result.artifacts} crates) → ${relative(request.workspaceRoot, result.executable)}`,
    `compiling ${compile.bin} with cargo (minutes on a cold target folder; waitSeconds starts with the built binary)`,
  );
  return { ...plan, command: compiled.executable };
}

function reportDownload(reporter: Reporter, timings: Record<string, number>, plan: LaunchPlan) {
  const asset = plan.download!;
  Object.assign(timings, { download: asset.timings.downloadMs, verify: asset.timings.verifyMs, extract: asset.timings.extractMs });
  const size = `${(asset.timings.bytes / 1024 / 1024).toFixed(1)} MB`;
  const how = asset.fromCache ? 'from the download cache' : `downloaded ${size} in ${formatDuration(asset.timings.downloadMs)}`;
  reporter.info(
    `  release asset ${asset.url}: ${how}, sha256 ${asset.sha256.slice(0, 12)}… verified in ${formatDuration(asset.timings.verifyMs)}, ` +
      `extracted in ${formatDuration(asset.timings.extractMs)}`,
  );
}

function reportLogTails(reporter: Reporter, workerProcess: WorkerProcess | undefined, engine: EngineHandle | undefined) {
  const workerTail = workerProcess?.logTail().trim();
  if (workerTail) reporter.error(`--- last lines of the worker log (${workerProcess!.logFile}) ---\n${workerTail}`);
  const engineTail = engine?.logTail().trim();
  if (engineTail) reporter.error(`--- last lines of the engine log${engine!.logFile ? ` (${engine!.logFile})` : ''} ---\n${engineTail}`);
}

/**
 * Below this window reading is as unsafe as `settleSeconds: 0`: it can close before the collector's own 100 ms
 * fallback poll has looked once, so the step line says it was not waited for.
 */
export const SAFE_SETTLE_FLOOR_MS = 100;

function describeRegistration({ registration, settleMs }: SettledWorker): string {
  const { functionIds, triggerTypeIds } = registration;
  const what = [plural(functionIds.length, 'function'), ...(triggerTypeIds.length > 0 ? [plural(triggerTypeIds.length, 'trigger type')] : [])];
  if (settleMs >= SAFE_SETTLE_FLOOR_MS) return `${what.join(', ')}, settled for ${(settleMs / 1000).toFixed(1)} s`;
  const belowFloor = settleMs > 0 ? ` (below the ${SAFE_SETTLE_FLOOR_MS / 1000} s floor)` : '';
  return `${what.join(', ')}, not waited to settle: settleSeconds is ${Number((settleMs / 1000).toPrecision(6))}${belowFloor}`;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
