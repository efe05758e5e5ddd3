import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import type { BuiltinFunction } from './builtin-function';
import { FUNCTIONS_AVAILABLE, WORKERS_AVAILABLE } from './builtin-workers';
import type { EngineLog } from './engine-log';
import { EngineState } from './engine-state';
import { FunctionRegistration } from './function-registration';
import type { EngineGeneration, GenerationRules } from './generation';
import type { GenerationProfile } from './generation-profile';
import { GENERATION_PROFILES } from './generation-profiles';
import { InvocationRouter } from './invocation-router';
import { NamespaceResolution } from './namespace-resolution';
import { observabilityFunctions } from './observability-functions';
import { decodeWorkerFrame, normalizeUuid, type FrameDialect, type JsonObject, type WorkerMessage } from './protocol';
import { RegistrationRejections } from './registration-rejection';
import { TriggerRouter } from './trigger-router';
import { WorkerConnection } from './worker-connection';
import { workersRegisterFunction } from './worker-registration';
import { namespacedWorkersRegisterFunction } from './worker-registration-namespaced';

/** Lifecycle moments a test or benchmark can observe in-process (e.g. "the worker's register arrived"). */
export interface EngineEvent {
  type: 'worker-connected' | 'worker-registered' | 'worker-disconnected';
  workerId: string;
  /** Self-reported name (set from `worker-registered` on). */
  name?: string;
  pid?: number;
  /** Wall clock, ms since the epoch. */
  at: number;
  /** `performance.now()` of this process, for sub-ms intervals. */
  monotonicMs: number;
}

export type EngineEventListener = (event: EngineEvent) => void;

/** The frames of trigger types and triggers, which 0.26 no longer has. */
const TRIGGER_FRAMES: ReadonlySet<WorkerMessage['type']> = new Set(['registertriggertype', 'registertrigger', 'unregistertrigger', 'triggerregistrationresult']);

const describeWorker = (c: WorkerConnection) => (c.name ? `${c.name} (${c.id})` : c.id);

export interface EngineCoreOptions {
  generation: EngineGeneration;
  engineVersion?: string;
  /** 0.23: how long a connection's registrations wait for its `engine::workers::register`. */
  namespaceGraceMs: number;
  log: EngineLog;
  emit: EngineEventListener;
}

/**
 * The engine's brain, independent of sockets: one `WorkerConnection` per session, frames routed in
 * arrival order, teardown on close (spec §2.3), and `engine::workers-available` fired on each lifecycle step.
 * From 0.23 a connection's registrations first wait for its namespace (`NamespaceResolution`).
 */
export class EngineCore {
  readonly state: EngineState;
  readonly rejections: RegistrationRejections;
  private readonly profile: GenerationProfile;
  private readonly rules: GenerationRules;
  private readonly dialect: FrameDialect;
  private readonly emit: EngineEventListener;
  private readonly log: EngineLog;
  private readonly invocations: InvocationRouter;
  private readonly triggers: TriggerRouter;
  private readonly functions: FunctionRegistration;
  private readonly resolution?: NamespaceResolution;
  private functionsFingerprint: string;
  private functionsAvailablePending?: NodeJS.Immediate;
  /** `functionregistered.revision`: grows with every acknowledged registration. */
  private revision = 0;

  constructor(options: EngineCoreOptions) {
    const { generation, log } = options;
    this.emit = options.emit;
    this.log = log;
    this.profile = GENERATION_PROFILES[generation];
    this.rules = this.profile.rules;
    this.dialect = { namespaces: this.profile.namespaced, observe: this.profile.observeFrames };
    this.state = new EngineState(generation, options.engineVersion ?? this.rules.defaultEngineVersion);
    this.rejections = new RegistrationRejections(log);
    this.invocations = new InvocationRouter(this.state, this.rules, log);
    this.triggers = new TriggerRouter(this.state, this.rules, this.invocations);
    this.functions = new FunctionRegistration(this.state, this.rules, this.rejections);

    let workersRegister: BuiltinFunction;
    if (this.profile.namespaced) {
      const resolution = new NamespaceResolution(options.namespaceGraceMs, log, (c, m) => this.apply(c, m));
      this.resolution = resolution;
      workersRegister = namespacedWorkersRegisterFunction(this.state, this.rules, {
        reject: (connection, rejection) => this.rejections.reject(connection, rejection),
        evict: (connection) => this.close(connection),
        resolveNamespace: (connection, namespace) => resolution.resolve(connection, namespace),
        registered: (workerId, connection) => this.registered(workerId, connection),
      });
    } else {
      workersRegister = workersRegisterFunction(this.state, this.rules, (workerId, connection) => this.registered(workerId, connection));
    }
    const introspection = this.profile.introspection({ state: this.state, workersRegister, typeOf: (t) => this.triggers.typeOf(t) });
    this.state.installBuiltins([...introspection, ...observabilityFunctions(log, this.state.engineVersion)]);
    this.functionsFingerprint = this.fingerprint();
  }

  open(socket: WebSocket, ipAddress: string | null): WorkerConnection {
    const connection = new WorkerConnection(socket, ipAddress);
    this.state.connections.set(connection.id, connection);
    this.resolution?.begin(connection);
    connection.send({
      type: 'workerregistered',
      worker_id: connection.id,
      ...(this.rules.reattach ? { reattach_token: connection.reattachToken } : {}),
      ...(this.profile.features.length > 0 ? { features: [...this.profile.features] } : {}),
    });
    this.notify('worker-connected', connection);
    this.triggers.fire(WORKERS_AVAILABLE, { event: 'worker_connected', worker_id: connection.id });
    return connection;
  }

  receive(connection: WorkerConnection, text: string): void {
    if (connection.closed) return;
    const message = decodeWorkerFrame(text, this.dialect);
    if (!message) return;
    if (this.resolution?.holds(connection, message)) return;
    this.apply(connection, message);
  }

  close(connection: WorkerConnection): void {
    if (connection.closed) return;
    connection.closed = true;
    this.resolution?.cancel(connection);
    const hadFunctions = this.functions.removeConnection(connection);
    this.invocations.haltInvocationsOf(connection);
    const hadTypes = this.triggers.removeConnection(connection);
    this.state.connections.delete(connection.id);
    if (connection.name !== undefined) this.log.write('INFO', `worker ${describeWorker(connection)} disconnected`);
    this.notify('worker-disconnected', connection);
    this.triggers.fire(WORKERS_AVAILABLE, { event: 'worker_disconnected', worker_id: connection.id });
    if (hadFunctions || hadTypes) this.functionsMayHaveChanged();
  }

  private apply(connection: WorkerConnection, msg: WorkerMessage): void {
    if (!this.profile.triggerTypes && TRIGGER_FRAMES.has(msg.type)) return this.triggerFrameWithoutTriggers(connection, msg);
    switch (msg.type) {
      case 'registerfunction':
        if (!this.functions.register(connection, msg)) return;
        this.acknowledgeFunction(connection, msg.id);
        return this.functionsMayHaveChanged();
      case 'unregisterfunction':
        if (this.functions.unregister(connection, msg)) this.functionsMayHaveChanged();
        return;
      case 'registertriggertype':
        this.triggers.registerType(connection, msg);
        return this.functionsMayHaveChanged();
      case 'registertrigger':
        return this.triggers.register(connection, msg);
      case 'unregistertrigger':
        return this.triggers.unregister(msg);
      case 'triggerregistrationresult':
        return this.triggers.registrationResult(connection, msg);
      case 'invokefunction':
        return this.invocations.fromWorker(connection, msg);
      case 'invocationresult':
        return this.invocations.result(connection, msg);
      case 'reattach':
        return this.reattach(connection, msg);
      case 'ping':
        return connection.send({ type: 'pong' });
      case 'observe':
        // Nothing here produces events to observe; `active` lets the worker's `ready()` resolve (crate 0.25.0 `src/observe.rs:431-457`).
        return connection.send({ type: 'observeresult', id: msg.id, state: 'active' });
      default:
        return; // pong, registerservice, workerregistered, observe reports: nothing to do
    }
  }

  /**
   * 0.25+: the engine's per-function ack, to `observe.v1` connections only (crate 0.25.0 `src/protocol.rs:167-168,
   * 418-431`). `local_dispatch: false` keeps the worker's calls to itself going through the engine.
   */
  private acknowledgeFunction(connection: WorkerConnection, id: string): void {
    if (!this.profile.acknowledgesFunctions || !connection.metadata.features?.includes('observe.v1')) return;
    this.revision += 1;
    connection.send({ type: 'functionregistered', id, namespace: connection.namespace, revision: this.revision, local_dispatch: false, observers: [] });
  }

  /**
   * 0.26 has no trigger types. A worker of an older SDK line that registers one would lose it from its interface, so
   * that is reported as refused (in-process, as the frame has no answer on the wire); bindings are ignored.
   */
  private triggerFrameWithoutTriggers(connection: WorkerConnection, msg: WorkerMessage): void {
    if (msg.type !== 'registertriggertype') return;
    this.rejections.report({
      code: 'TRIGGER_TYPES_UNSUPPORTED',
      namespace: connection.namespace,
      workerId: connection.id,
      workerName: connection.name,
      triggerTypeId: msg.id,
      ownerWorkerId: '',
    });
  }

  /** `engine::workers::register` processed (from 0.23: after its registrations drained). */
  private registered(workerId: string, connection: WorkerConnection | undefined): void {
    if (connection) {
      const where = this.resolution ? ` in namespace "${connection.namespace}"` : '';
      this.log.write('INFO', `worker ${describeWorker(connection)} registered${where} (pid ${connection.metadata.pid ?? 'unknown'}, ${connection.functionIds.size} functions)`);
      this.notify('worker-registered', connection);
    }
    this.triggers.fire(WORKERS_AVAILABLE, { event: 'worker_metadata_updated', worker_id: workerId });
  }

  /** A reconnecting SDK retires its previous connection, proving it with the token only that socket received. */
  private reattach(connection: WorkerConnection, msg: Extract<WorkerMessage, { type: 'reattach' }>): void {
    if (!this.rules.reattach) return;
    const previousId = normalizeUuid(msg.previous_worker_id);
    const previous = previousId && previousId !== connection.id ? this.state.connections.get(previousId) : undefined;
    if (!previous || msg.reattach_token !== previous.reattachToken) return;
    this.close(previous);
    previous.terminate();
  }

  /** Which function and trigger-type ids exist, where, and who holds them. */
  private fingerprint(): string {
    const owner = (o: unknown) => (o instanceof WorkerConnection ? o.id : '');
    const functions = [...this.state.functions.values()].map((f) => `f\u0000${f.namespace}\u0000${f.id}\u0000${owner(f.owner)}`);
    const types = [...this.state.triggerTypes.values()].map((t) => `t\u0000${t.namespace}\u0000${t.id}\u0000${owner(t.provider)}`);
    return [...functions, ...types].sort().join('\n');
  }

  /**
   * `engine::functions-available`: the real engine fires it within 5 s of a change; this one fires once per burst
   * of registration frames (after the frames already read), so a subscriber learns of a change at once.
   */
  private functionsMayHaveChanged(): void {
    this.functionsAvailablePending ??= setImmediate(() => {
      this.functionsAvailablePending = undefined;
      const fingerprint = this.fingerprint();
      if (fingerprint === this.functionsFingerprint) return;
      this.functionsFingerprint = fingerprint;
      if (!this.triggers.hasListeners(FUNCTIONS_AVAILABLE)) return;
      const namespaced = this.resolution !== undefined;
      const functions = [...this.state.functions.values()]
        .filter((f) => !f.id.startsWith('engine::'))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0))
        .map((f): JsonObject => (namespaced ? { function_id: f.id, namespace: f.namespace } : { function_id: f.id }));
      this.triggers.fire(FUNCTIONS_AVAILABLE, { functions });
    });
  }

  private notify(type: EngineEvent['type'], connection: WorkerConnection): void {
    this.emit({ type, workerId: connection.id, name: connection.metadata.name, pid: connection.metadata.pid, at: Date.now(), monotonicMs: performance.now() });
  }

  /** Engine shutdown: forget everything without firing events at sockets that are about to close. */
  dispose(): void {
    if (this.functionsAvailablePending) clearImmediate(this.functionsAvailablePending);
    this.functionsAvailablePending = undefined;
    for (const connection of this.state.connections.values()) {
      connection.closed = true;
      this.resolution?.cancel(connection);
    }
    this.state.connections.clear();
    this.invocations.clear();
    this.rejections.clear();
  }
}
