import { randomUUID } from 'node:crypto';
import type { EngineClient } from '../engine-client/engine-client';
import type { WorkerInterface } from '../interface/worker-interface';
import { detectGeneration, introspectionFor, type EngineGeneration, type EngineIntrospection } from './engine-introspection';
import { describeCandidate, matchWorker, type MatchRule, type WorkerCandidate } from './match-worker';
import { buildWorkerInterface } from './normalize-interface';

export class WorkerWaitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerWaitError';
  }
}

export interface WaitOptions {
  /** The registry worker name (the project folder), used to recognise the worker. */
  worker: string;
  timeoutMs: number;
  /** Fallback polling interval on the open connection when no event arrives. */
  pollIntervalMs?: number;
  /** A worker matched with no function gets this long to register one before it is an error. */
  noFunctionsGraceMs?: number;
  /** Aborting (e.g. the worker process exited) stops the wait at once with the signal's reason. */
  signal?: AbortSignal;
  /** True for the pids of the process tree this task started (see `matchWorker`). */
  ownsPid?: (pid: number) => boolean;
}

export interface CollectedInterface {
  iface: WorkerInterface;
  generation: EngineGeneration;
  worker: WorkerCandidate;
  rule: MatchRule;
}

/**
 * One collection against one engine connection. Create it BEFORE the worker starts: it records which workers and
 * trigger types already exist (they are not the worker's) and subscribes to `engine::workers-available` so a
 * registration is noticed the moment it happens rather than at the next poll.
 */
export class InterfaceCollector {
  private wake: () => void = () => {};

  private constructor(
    private readonly introspection: EngineIntrospection,
    private readonly baselineWorkerIds: ReadonlySet<string>,
    private readonly baselineTriggerTypeIds: ReadonlySet<string>,
  ) {}

  static async start(client: EngineClient): Promise<InterfaceCollector> {
    const generation = await detectGeneration(client);
    const introspection = introspectionFor(client, generation);
    const [workers, triggerTypeIds] = await Promise.all([introspection.listWorkers(), introspection.listTriggerTypeIds()]);
    const collector = new InterfaceCollector(introspection, new Set(workers.map((w) => w.id)), new Set(triggerTypeIds));
    const listenerId = `iii-interface-collector::workers-available::${randomUUID()}`;
    client.registerFunction(listenerId, () => collector.wake());
    client.registerTrigger('engine::workers-available', listenerId, {});
    return collector;
  }

  get generation(): EngineGeneration {
    return this.introspection.generation;
  }

  /** Waits until the worker has registered and its functions are present. */
  async waitForWorker(options: WaitOptions): Promise<{ worker: WorkerCandidate; rule: MatchRule }> {
    const { worker, timeoutMs, pollIntervalMs = 100, noFunctionsGraceMs = 2000, signal, ownsPid } = options;
    const deadline = Date.now() + timeoutMs;
    let matchedWithoutFunctionsAt: number | undefined;
    let lastCandidates: WorkerCandidate[] = [];
    for (;;) {
      signal?.throwIfAborted();
      lastCandidates = await this.introspection.listNewCandidates(this.baselineWorkerIds);
      const found = matchWorker(worker, lastCandidates, ownsPid);
      if (found && found.match.functionIds.length > 0) return { worker: found.match, rule: found.rule };
      if (found) {
        matchedWithoutFunctionsAt ??= Date.now();
        if (Date.now() - matchedWithoutFunctionsAt >= noFunctionsGraceMs || Date.now() >= deadline) {
          throw new WorkerWaitError(
            `worker ${worker} connected to the engine (${describeCandidate(found.match)}) but registered no functions. ` +
              `There is no interface to publish: check that the worker calls registerFunction before or right after connecting.`,
          );
        }
      }
      if (Date.now() >= deadline) throw new WorkerWaitError(this.timeoutMessage(worker, timeoutMs, lastCandidates));
      await this.sleepUntilWoken(Math.min(pollIntervalMs, deadline - Date.now()), signal);
    }
  }

  /** Reads the matched worker's functions (with schemas) and the trigger types it registered itself. */
  async readInterface(worker: WorkerCandidate, workerLabel: string): Promise<WorkerInterface> {
    const details = await this.introspection.gatherDetails(worker);
    return buildWorkerInterface({ workerLabel, ...details, baselineTriggerTypeIds: this.baselineTriggerTypeIds });
  }

  /** Both steps at once: wait for the worker, then read its interface. */
  async collect(options: WaitOptions): Promise<CollectedInterface> {
    const { worker, rule } = await this.waitForWorker(options);
    const iface = await this.readInterface(worker, options.worker);
    return { iface, generation: this.generation, worker, rule };
  }

  private timeoutMessage(worker: string, timeoutMs: number, candidates: WorkerCandidate[]): string {
    const seconds = Math.round(timeoutMs / 100) / 10;
    const listed =
      candidates.length === 0
        ? 'no new worker connected to the engine at all (check the worker log: did it start, and does it connect to the URL it was given?)'
        : `the engine listed these new workers, none of which could be matched: ${candidates.map(describeCandidate).join('; ')}`;
    return (
      `worker ${worker} did not register with the engine within ${seconds} s: ${listed}. ` +
      `Raise waitSeconds if it is slow to start, or set the \`worker\` option to the name it reports.`
    );
  }

  private sleepUntilWoken(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wake = () => {};
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.wake = done;
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
