/**
 * Registration → interface file: from the moment the worker's `engine::workers::register` reaches the embedded
 * engine (its in-process `worker-registered` event) to the moment the interface file is written, for
 *  - the plugin: the real pipeline `collectWorkerInterface` (launch plan, collector, worker process, atomic write),
 *    pointed at an embedded engine this process hosts (`engine: url`) so the event can be observed;
 *  - the reference: the workers CI's collector (2 s polling, one `iii trigger` process per call), legacy engine.
 * Same worker every run: examples/todo-worker, a real iii-sdk process started the same way for both.
 */
import { join } from 'node:path';
import { collectWorkerInterface } from 'nx-worker-publish/dist/core/collect/collect-worker-interface';
import { DEFAULT_SETTLE_MS } from 'nx-worker-publish/dist/core/collector/interface-collector';
import { startEmbeddedEngine, type EngineGenerationName, type RunningEngine } from 'nx-worker-publish/dist/core/engine/embedded-engine';
import { renderLaunchCommand, resolveLaunchPlan } from 'nx-worker-publish/dist/core/launch-plan/index';
import { readWorkerManifest } from 'nx-worker-publish/dist/core/manifest/index';
import type { Reporter } from 'nx-worker-publish/dist/core/reporter/step-reporter';
import { startWorkerProcess } from 'nx-worker-publish/dist/core/worker-process/index';
import { copyTodoWorker, linkNodeModules, TODO_WORKER } from '../lib/fixtures';
import { referenceClientScript } from '../lib/paths';
import { repeat, summarize, type Summary } from '../lib/stats';
import type { TempSpace } from '../lib/temp-space';
import { referenceCollect } from '../reference/reference-collector';
import { lastRegistrationChangeAt, watchRegistrationChanges } from '../lib/registration-changes';

export interface RegistrationResults {
  plugin_current: Summary;
  /** The worker's last change to its functions or trigger types, as the engine applied it → interface file written (current engine). */
  last_registration_to_interface: Summary;
  /** The same interval as the collector itself reports it (`timings.last_registration_to_interface`), for comparison. */
  last_registration_to_interface_by_collector: Summary;
  settle_ms: number;
  plugin_legacy: Summary;
  reference: Summary;
  /** Wall time of one `iii trigger` process of the reference (all calls of all runs). */
  reference_cli_call_ms: Summary;
  /** `engine::workers::list` calls per reference run. */
  reference_polls: Summary;
}

/** Starts an embedded engine that records when the named worker's `engine::workers::register` arrived. */
async function observedEngine(generation: EngineGenerationName, workerName: string): Promise<{ engine: RunningEngine; registeredAt: () => number }> {
  let registeredAt: number | undefined;
  const engine = await startEmbeddedEngine({
    generation,
    onEvent: (event) => {
      if (event.type === 'worker-registered' && event.name === workerName) registeredAt ??= event.monotonicMs;
    },
  });
  return {
    engine,
    registeredAt: () => {
      if (registeredAt === undefined) throw new Error(`bench: the engine never saw ${workerName} register`);
      return registeredAt;
    },
  };
}

export async function benchRegistrationToInterface(space: TempSpace, runs: number, log: (line: string) => void): Promise<RegistrationResults> {
  const workspaceRoot = space.dir('direct');
  linkNodeModules(workspaceRoot);
  const workerDir = copyTodoWorker(workspaceRoot, TODO_WORKER);
  const manifest = readWorkerManifest(workerDir);

  watchRegistrationChanges();
  const lastChange: number[] = [];
  const lastChangeByCollector: number[] = [];
  const plugin = (generation: EngineGenerationName) => async (run: number) => {
    const { engine, registeredAt } = await observedEngine(generation, TODO_WORKER);
    const runStarted = performance.now();
    const out = space.dir(`plugin-${generation}`);
    let writtenAt: number | undefined;
    const problems: string[] = [];
    const reporter: Reporter = {
      info: (line) => {
        if (line.startsWith('✔ interface written')) writtenAt = performance.now();
      },
      warn: (line) => problems.push(line),
      error: (line) => problems.push(line),
      verbose: () => {},
    };
    let collectorTimings: Record<string, number> = {};
    try {
      ({ timings: collectorTimings } = await collectWorkerInterface({
        workspaceRoot,
        projectRoot: TODO_WORKER,
        worker: TODO_WORKER,
        manifest,
        launch: { launch: 'auto' },
        engine: { kind: 'url', url: engine.url },
        waitSeconds: 60,
        outputFile: join(out, 'worker-interface.json'),
        logDir: out,
        withheldEnv: ['WORKERS_REGISTRY_API_KEY', 'GITHUB_TOKEN', 'GH_TOKEN'], // as the executor does
        reporter,
      }));
    } catch (error) {
      throw new Error(`bench: plugin collection failed: ${(error as Error).message}\n${problems.join('\n')}`);
    } finally {
      await engine.stop();
    }
    if (writtenAt === undefined) throw new Error('bench: collectWorkerInterface never reported "✔ interface written…"; update the bench to its new progress line');
    const ms = writtenAt - registeredAt();
    const changedAt = lastRegistrationChangeAt(runStarted, writtenAt);
    const sinceLastChange = writtenAt - changedAt;
    if (run >= 0 && generation === 'current') {
      lastChange.push(sinceLastChange);
      if (typeof collectorTimings.last_registration_to_interface === 'number') lastChangeByCollector.push(collectorTimings.last_registration_to_interface);
    }
    if (run >= 0) log(`  plugin (${generation} engine) run ${run + 1}: ${ms.toFixed(1)} ms after the register, ${sinceLastChange.toFixed(1)} ms after the last registration change`);
    return ms;
  };

  const callMs: number[] = [];
  const polls: number[] = [];
  const reference = async (run: number) => {
    const { engine, registeredAt } = await observedEngine('legacy', TODO_WORKER);
    const out = space.dir('reference');
    const plan = await resolveLaunchPlan({ workspaceRoot, projectRoot: TODO_WORKER, manifest, launch: 'auto' });
    const worker = await startWorkerProcess(renderLaunchCommand(plan, engine.url), { logFile: join(out, 'worker.log') });
    try {
      // The first poll starts right after the spawn, when the plugin's collector starts waiting too.
      const result = await referenceCollect({ cliScript: referenceClientScript(), port: engine.port, folder: TODO_WORKER, outputFile: join(out, 'worker-interface.json') });
      const ms = performance.now() - registeredAt();
      if (run >= 0) {
        callMs.push(...result.callMs);
        polls.push(result.polls);
        log(`  reference run ${run + 1}: ${ms.toFixed(0)} ms (${result.polls} polls, ${result.callMs.length} iii trigger processes)`);
      }
      return ms;
    } finally {
      await worker.stop();
      await engine.stop();
    }
  };

  log('registration → interface: plugin, current engine');
  const pluginCurrent = await repeat(Math.max(runs, 10), 1, plugin('current'));
  log('registration → interface: plugin, legacy engine');
  const pluginLegacy = await repeat(Math.max(runs, 10), 1, plugin('legacy'));
  log('registration → interface: reference (workers CI way), legacy engine');
  const referenceSummary = await repeat(runs, 0, reference);
  return {
    plugin_current: pluginCurrent,
    last_registration_to_interface: summarize(lastChange),
    last_registration_to_interface_by_collector: summarize(lastChangeByCollector.length > 0 ? lastChangeByCollector : [NaN]),
    settle_ms: DEFAULT_SETTLE_MS,
    plugin_legacy: pluginLegacy,
    reference: referenceSummary,
    reference_cli_call_ms: summarize(callMs),
    reference_polls: summarize(polls),
  };
}
