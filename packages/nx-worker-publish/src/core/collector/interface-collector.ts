import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { EngineClient } from '../engine-client/engine-client';
import type { WorkerInterface } from '../interface/worker-interface';
import { detectGeneration, introspectionFor, WorkerGoneError, type EngineGeneration, type EngineIntrospection } from './engine-introspection';
import type { EngineWorker, WorkerRegistration } from './engine-records';
import { describeCandidate, matchWorker, namespacesOf, type MatchRule, type WorkerCandidate } from './match-worker';
import { assertNonEmptyInterface } from './non-empty-gate';
import { buildWorkerInterface, isEngineInternalId } from './normalize-interface';
import { ConnectionFailedError, connectionFailureMessage, type ConnectionFailure } from './connection-failure';
import { RegistrationRejectedError, rejectionMessage, type RegistrationRejection } from './registration-rejection';

export class WorkerWaitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerWaitError';
  }
}

export const DEFAULT_SETTLE_MS = 1000;

export interface WaitOptions {
  /** The registry worker name (the project folder), used to recognise the worker. */
  worker: string;
  /** Bounds the whole wait: connecting, registering and settling. */
  timeoutMs: number;
  /**
   * The worker's function ids and trigger types must be unchanged this long before the interface is read
   * (default 1000). 0 reads at the first registration seen, which can publish a truncated interface.
   */
  settleMs?: number;
  /** Fallback polling interval on the open connection when no event arrives (≤ 100 ms). */
  pollIntervalMs?: number;
  /** A matched worker that has registered nothing gets this long to register something before it is an error. */
  noFunctionsGraceMs?: number;
  /** Aborting (e.g. the worker process exited) stops the wait at once with the signal's reason. */
  signal?: AbortSignal;
  /** True for the pids of the process tree this task started (see `matchWorker`). */
  ownsPid?: (pid: number) => boolean;
  /**
   * Resolves once the engine has processed every frame the worker (by engine worker id) sent before the call. With
   * it, settled means quiet for the window AND nothing the worker sent is still queued unread: a registration stuck
   * behind a flood of other frames is not missed. Only the embedded engine can prove this.
   */
  caughtUp?: (workerId: string) => Promise<void>;
}

/** The matched worker once its registration has stopped changing. */
export interface SettledWorker {
  worker: WorkerCandidate;
  rule: MatchRule;
  /** Its function ids and own trigger type ids (baseline and `engine::` ids removed), sorted. */
  registration: WorkerRegistration;
  /** The settle window that was waited for (0 = not waited). */
  settleMs: number;
  /** `performance.now()` when the collector last saw the registration change (or first saw it). */
  lastChangeAt: number;
  /** The wait it belongs to: reading the interface settles again within the same deadline if it has to. */
  wait: { options: WaitOptions; deadline: number };
}

export interface CollectedInterface {
  iface: WorkerInterface;
  generation: EngineGeneration;
  worker: WorkerCandidate;
  rule: MatchRule;
  lastChangeAt: number;
}

/** The collector's connection calls itself this (plus a random suffix): unique, so it never claims a worker's name. */
const COLLECTOR_NAME = 'iii-interface-collector';
/** Events that mean "look again": workers (dis)connecting or registering, and function/trigger-type changes. */
const WAKE_EVENTS = ['engine::workers-available', 'engine::functions-available'];
const MAX_POLL_INTERVAL_MS = 100;

const isEmpty = (r: WorkerRegistration) => r.functionIds.length === 0 && r.triggerTypeIds.length === 0;
const sameIds = (a: string[], b: string[]) => a.length === b.length && a.every((id, i) => id === b[i]);
const sameRegistration = (a: WorkerRegistration, b: WorkerRegistration) =>
  sameIds(a.functionIds, b.functionIds) && sameIds(a.triggerTypeIds, b.triggerTypeIds);
const removedFrom = (before: string[], after: string[]) => {
  const kept = new Set(after); // not after.includes: 20,000 ids against 20,000 is 400 million comparisons
  return before.filter((id) => !kept.has(id));
};

/** A worker that drops a function or trigger type while registering has no stable interface to publish. */
function throwIfRemoved(worker: string, before: WorkerRegistration, after: WorkerRegistration): void {
  const removed = [...removedFrom(before.functionIds, after.functionIds), ...removedFrom(before.triggerTypeIds, after.triggerTypeIds)];
  if (removed.length === 0) return;
  throw new WorkerWaitError(
    `worker ${worker} unregistered ${removed.join(', ')} while it was still registering, so no stable interface could be read ` +
      `and nothing was written. A worker must keep what it registers; check the worker log for a failed start or a restart.`,
  );
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * One collection against one engine connection. Create it BEFORE the worker starts: it records which workers and
 * trigger types already exist (they are not the worker's) and subscribes to the engine's events so a registration
 * is noticed the moment it happens rather than at the next poll.
 */
export class InterfaceCollector {
  private wake: () => void = () => {};
  private wokenWhileBusy = false;
  private readonly rejections: RegistrationRejection[] = [];
  private readonly connectionFailures: ConnectionFailure[] = [];

  private constructor(
    private readonly introspection: EngineIntrospection,
    private readonly selfId: string,
    private readonly baselineWorkers: readonly EngineWorker[],
    private readonly baselineTriggerTypeIds: ReadonlySet<string>,
  ) {}

  static async start(client: EngineClient): Promise<InterfaceCollector> {
    // Engine 0.23 buffers a connection's registrations until it has declared itself with `engine::workers::register`:
    // without this the collector's subscriptions would wait out the 5 s grace. No pid is reported, so engines that
    // hide pid-less connections never list the collector as a worker.
    await client.invoke('engine::workers::register', {
      runtime: 'node',
      name: `${COLLECTOR_NAME}-${randomUUID().slice(0, 8)}`,
      description: 'nx-worker-publish interface collector',
      os: `${process.platform} (${process.arch}) on ${hostname()}`,
      isolation: null,
    });
    const generation = await detectGeneration(client);
    const introspection = introspectionFor(client, generation);
    const [workers, triggerTypeIds] = await Promise.all([introspection.listWorkers(), introspection.listTriggerTypeIds()]);
    const collector = new InterfaceCollector(introspection, client.workerId, workers, new Set(triggerTypeIds));
    // Engines without trigger types (0.26) have no `registertrigger` subscription: polling the open connection does it all.
    if (introspection.hasTriggerTypes) {
      const listenerId = `${COLLECTOR_NAME}::wake::${randomUUID()}`;
      client.registerFunction(listenerId, () => collector.poke());
      for (const event of WAKE_EVENTS) client.registerTrigger(event, listenerId, {});
    }
    return collector;
  }

  get generation(): EngineGeneration {
    return this.introspection.generation;
  }

  /** False on an engine without trigger types (0.26): no `registertrigger` subscription, polling does it all. */
  get subscribedToEvents(): boolean {
    return this.introspection.hasTriggerTypes;
  }

  /**
   * A `registrationrejected` the engine sent one of this collection's connections (the embedded engine reports them
   * in-process). Forward only rejections of connections that belong to this collection: any one fails it.
   */
  noteRejection(rejection: RegistrationRejection): void {
    if (rejection.workerId === this.selfId) return;
    this.rejections.push(rejection);
    this.poke();
  }

  /**
   * The engine closed one of this collection's connections because of a frame it could not accept (the embedded
   * engine reports it in-process): the worker's registration is cut short, so the collection fails naming why.
   */
  noteConnectionFailure(failure: ConnectionFailure): void {
    this.connectionFailures.push(failure);
    this.poke();
  }

  /** Waits until the worker has registered and its registration has settled. */
  async waitForWorker(options: WaitOptions): Promise<SettledWorker> {
    const deadline = performance.now() + options.timeoutMs;
    const found = await this.waitForMatch(options, deadline);
    return this.settle({ worker: found.match, rule: found.rule }, options, deadline);
  }

  /**
   * Reads the settled worker's functions (with schemas) and the trigger types it registered itself. If that read
   * finds the registration changed after all (a pause longer than the window), it settles again, within the same
   * deadline, and reads again: `settled` is updated to what was finally read. The deadline bounds the worker's
   * registering, not the collector's reading: the time a read takes moves it on.
   */
  async readInterface(settled: SettledWorker, workerLabel: string): Promise<WorkerInterface> {
    for (;;) {
      const readStartedAt = performance.now();
      const details = await this.introspection.gatherDetails(settled.worker);
      await this.throwIfRejected(workerLabel);
      const read = this.ownRegistration({ functionIds: details.functionIds, triggerTypeIds: details.triggerTypes.map((t) => t.id) });
      // settleMs 0 is the documented unsafe mode: it publishes whatever is there.
      if (settled.settleMs === 0 || sameRegistration(read, settled.registration)) {
        const iface = buildWorkerInterface({ workerLabel, ...details, baselineTriggerTypeIds: this.baselineTriggerTypeIds });
        assertNonEmptyInterface(iface, workerLabel);
        return iface;
      }
      throwIfRemoved(workerLabel, settled.registration, read);
      const deadline = settled.wait.deadline + (performance.now() - readStartedAt);
      Object.assign(settled, await this.settle(settled, settled.wait.options, deadline, performance.now()));
    }
  }

  /** Both steps at once: wait for the worker, then read its interface. */
  async collect(options: WaitOptions): Promise<CollectedInterface> {
    const settled = await this.waitForWorker(options);
    const iface = await this.readInterface(settled, options.worker);
    return { iface, generation: this.generation, worker: settled.worker, rule: settled.rule, lastChangeAt: settled.lastChangeAt };
  }

  private async waitForMatch(options: WaitOptions, deadline: number): Promise<{ match: WorkerCandidate; rule: MatchRule }> {
    const { worker, signal, ownsPid } = options;
    const known = new Set([this.selfId, ...this.baselineWorkers.map((w) => w.id)]);
    for (;;) {
      signal?.throwIfAborted();
      await this.throwIfRejected(worker);
      const candidates = await this.introspection.listNewCandidates(known);
      const found = matchWorker(worker, candidates, ownsPid);
      if (found) return found;
      if (performance.now() >= deadline) throw new WorkerWaitError(this.timeoutMessage(worker, options.timeoutMs, candidates));
      await this.sleepUntilWoken(Math.min(this.pollInterval(options), deadline - performance.now()), signal);
    }
  }

  /**
   * Watches the matched worker until its function ids and trigger types have not changed for the settle window.
   * SDKs that report the worker before registering anything (iii-sdk ≥ 0.23), or register after an `await`, are
   * visible with part of their interface: reading it then publishes a truncated interface (spec iii-engine-0.23 §1.4).
   */
  private async settle(
    found: { worker: WorkerCandidate; rule: MatchRule },
    options: WaitOptions,
    deadline: number,
    /** When the registration was last seen to change (now, when matched). */
    changedAt = performance.now(),
  ): Promise<SettledWorker> {
    const { worker, signal } = options;
    const settleMs = Math.max(0, options.settleMs ?? DEFAULT_SETTLE_MS);
    const graceMs = options.noFunctionsGraceMs ?? 2000;
    const matchedAt = performance.now();
    let current = await this.registrationOf(found.worker);
    let lastChangeAt = changedAt;
    for (;;) {
      signal?.throwIfAborted();
      await this.throwIfRejected(worker);
      const now = performance.now();
      const quietFor = now - lastChangeAt;
      if (!isEmpty(current) && quietFor >= settleMs) {
        if (settleMs > 0 && options.caughtUp) {
          // Quiet is only what the engine has processed: frames still queued on the worker's connection may hold more.
          await this.untilCaughtUp(options.caughtUp, found.worker, options, deadline);
          const askedAt = performance.now();
          const next = await this.registrationOf(found.worker);
          throwIfRemoved(worker, current, next);
          if (!sameRegistration(current, next)) {
            [current, lastChangeAt] = [next, askedAt];
            continue;
          }
        }
        return { worker: found.worker, rule: found.rule, registration: current, settleMs, lastChangeAt, wait: { options, deadline } };
      }
      if (isEmpty(current) && (now - matchedAt >= graceMs || now >= deadline)) {
        throw new WorkerWaitError(
          `worker ${worker} connected to the engine (${describeCandidate(found.worker)}) but registered neither functions nor trigger types. ` +
            `There is no interface to publish: check that the worker calls registerFunction or registerTriggerType when it starts.`,
        );
      }
      if (now >= deadline) {
        throw new WorkerWaitError(
          `worker ${worker} was still registering when waitSeconds (${seconds(options.timeoutMs)}) ran out: its functions or trigger types ` +
            `last changed ${seconds(quietFor)} ago, less than the ${seconds(settleMs)} settle window, so its interface may not be complete ` +
            `and nothing was written. Raise waitSeconds: it bounds the whole wait, settling included.`,
        );
      }
      const untilSettled = isEmpty(current) ? Infinity : settleMs - quietFor;
      await this.sleepUntilWoken(Math.min(this.pollInterval(options), untilSettled, deadline - now), signal);
      const askedAt = performance.now();
      const next = await this.registrationOf(found.worker);
      throwIfRemoved(worker, current, next);
      // The change happened before the engine answered: the request time is the closest the collector can tell.
      if (!sameRegistration(current, next)) [current, lastChangeAt] = [next, askedAt];
    }
  }

  /** Waits for the engine's proof that it has read everything the worker sent, within the wait's deadline. */
  private async untilCaughtUp(caughtUp: (workerId: string) => Promise<void>, found: WorkerCandidate, options: WaitOptions, deadline: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort = () => {};
    const stopped = new Promise<'timeout' | 'aborted'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - performance.now()));
      onAbort = () => resolve('aborted');
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const outcome = await Promise.race([caughtUp(found.id).then(() => 'done' as const), stopped]);
      options.signal?.throwIfAborted();
      if (outcome === 'timeout') {
        throw new WorkerWaitError(
          `worker ${options.worker} may still have been registering when waitSeconds (${seconds(options.timeoutMs)}) ran out: the engine ` +
            `could not confirm it had read everything the worker sent (frames were still queued on its connection, or the worker did not ` +
            `answer a WebSocket ping), so its interface may not be complete and nothing was written. Raise waitSeconds, or have the ` +
            `worker send fewer frames (e.g. log calls) while it registers.`,
        );
      }
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  private async registrationOf(worker: WorkerCandidate): Promise<WorkerRegistration> {
    const registration = await this.introspection.readRegistration(worker);
    if (!registration) throw this.connectionFailure(worker.name ?? worker.id) ?? new WorkerGoneError(worker);
    return this.ownRegistration(registration);
  }

  /** Legacy engines list every trigger type, not the worker's: the baseline taken before it started is not its own. */
  private ownRegistration(registration: WorkerRegistration): WorkerRegistration {
    return {
      functionIds: [...new Set(registration.functionIds.filter((id) => !isEngineInternalId(id)))].sort(),
      triggerTypeIds: [...new Set(registration.triggerTypeIds.filter((id) => !isEngineInternalId(id) && !this.baselineTriggerTypeIds.has(id)))].sort(),
    };
  }

  /** The error for the first connection the engine closed for a bad frame, if any: it explains whatever followed. */
  connectionFailure(worker: string): ConnectionFailedError | undefined {
    const failure = this.connectionFailures[0];
    return failure && new ConnectionFailedError(connectionFailureMessage(worker, failure));
  }

  private async throwIfRejected(worker: string): Promise<void> {
    const failed = this.connectionFailure(worker);
    if (failed) throw failed;
    const rejection = this.rejections[0];
    if (!rejection) return;
    const owners = await this.introspection.listWorkers().catch(() => [] as EngineWorker[]);
    throw new RegistrationRejectedError(rejectionMessage(worker, rejection, [...owners, ...this.baselineWorkers]));
  }

  private pollInterval(options: WaitOptions): number {
    return Math.min(options.pollIntervalMs ?? MAX_POLL_INTERVAL_MS, MAX_POLL_INTERVAL_MS);
  }

  private timeoutMessage(worker: string, timeoutMs: number, candidates: WorkerCandidate[]): string {
    // Engine ≥ 0.23 refuses a second live worker with a name its namespace already has, and tells only that worker:
    // a worker of that name that was there before the collection started is the likely reason nothing appeared.
    const names = namespacesOf(worker);
    const clash = this.baselineWorkers.find((w) => !w.internal && w.name !== null && names.includes(w.name));
    if (clash) {
      return (
        `worker ${worker} never appeared on the engine within ${seconds(timeoutMs)}, and a worker named "${clash.name}" (id ${clash.id}` +
        `${clash.namespace ? `, namespace "${clash.namespace}"` : ''}) was already connected before the collection started. An engine ≥ 0.23 ` +
        `refuses a second worker with the same name in the same namespace (WORKER_NAMESPACE_CONFLICT) and closes its connection. ` +
        `Stop the other worker (often a stale process of an earlier run) and run again.`
      );
    }
    const listed =
      candidates.length === 0
        ? 'no new worker connected to the engine at all (check the worker log: did it start, and does it connect to the URL it was given?)'
        : `the engine listed these new workers, none of which could be matched: ${candidates.map(describeCandidate).join('; ')}`;
    return (
      `worker ${worker} did not register with the engine within ${seconds(timeoutMs)}: ${listed}. ` +
      `Raise waitSeconds if it is slow to start, or set the \`worker\` option to the name it reports.`
    );
  }

  /** An engine event: wake the wait now, or make its next sleep return at once. */
  private poke(): void {
    this.wokenWhileBusy = true;
    this.wake();
  }

  private sleepUntilWoken(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.wokenWhileBusy) {
      this.wokenWhileBusy = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wake = () => {};
        this.wokenWhileBusy = false;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.wake = done;
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
