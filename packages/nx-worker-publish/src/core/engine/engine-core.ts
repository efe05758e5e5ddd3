import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import { WORKERS_AVAILABLE } from './builtin-workers';
import { EngineState } from './engine-state';
import { GENERATION_RULES, type EngineGeneration, type GenerationRules } from './generation';
import { currentIntrospection } from './introspection-current';
import { legacyIntrospection } from './introspection-legacy';
import { InvocationRouter } from './invocation-router';
import { decodeWorkerFrame, normalizeUuid, type WorkerMessage } from './protocol';
import { TriggerRouter } from './trigger-router';
import { WorkerConnection } from './worker-connection';
import { workersRegisterFunction } from './worker-registration';

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

/**
 * The engine's brain, independent of sockets: one `WorkerConnection` per session, frames routed in
 * arrival order, teardown on close (spec §2.3), and `engine::workers-available` fired on each lifecycle step.
 */
export class EngineCore {
  readonly state: EngineState;
  private readonly rules: GenerationRules;
  private readonly invocations: InvocationRouter;
  private readonly triggers: TriggerRouter;

  constructor(
    generation: EngineGeneration,
    engineVersion: string | undefined,
    private readonly emit: EngineEventListener,
  ) {
    this.rules = GENERATION_RULES[generation];
    this.state = new EngineState(generation, engineVersion ?? this.rules.defaultEngineVersion);
    this.invocations = new InvocationRouter(this.state, this.rules);
    this.triggers = new TriggerRouter(this.state, this.rules, this.invocations);
    const register = workersRegisterFunction(this.state, this.rules, (workerId, connection) => {
      if (connection) this.notify('worker-registered', connection);
      this.triggers.fire(WORKERS_AVAILABLE, { event: 'worker_metadata_updated', worker_id: workerId });
    });
    const introspection = generation === 'current' ? currentIntrospection : legacyIntrospection;
    this.state.installBuiltins(introspection(this.state, register));
  }

  open(socket: WebSocket, ipAddress: string | null): WorkerConnection {
    const connection = new WorkerConnection(socket, ipAddress);
    this.state.connections.set(connection.id, connection);
    connection.send(
      this.rules.reattach
        ? { type: 'workerregistered', worker_id: connection.id, reattach_token: connection.reattachToken }
        : { type: 'workerregistered', worker_id: connection.id },
    );
    this.notify('worker-connected', connection);
    this.triggers.fire(WORKERS_AVAILABLE, { event: 'worker_connected', worker_id: connection.id });
    return connection;
  }

  receive(connection: WorkerConnection, text: string): void {
    if (connection.closed) return;
    const message = decodeWorkerFrame(text);
    if (message) this.route(connection, message);
  }

  close(connection: WorkerConnection): void {
    if (connection.closed) return;
    connection.closed = true;
    // Functions go only if this connection still owns them (last writer wins on duplicates).
    for (const id of connection.functionIds) {
      if (this.state.functions.get(id)?.owner === connection) this.state.functions.delete(id);
    }
    this.invocations.haltInvocationsOf(connection);
    this.triggers.removeConnection(connection);
    this.state.connections.delete(connection.id);
    this.notify('worker-disconnected', connection);
    this.triggers.fire(WORKERS_AVAILABLE, { event: 'worker_disconnected', worker_id: connection.id });
  }

  private route(connection: WorkerConnection, msg: WorkerMessage): void {
    switch (msg.type) {
      case 'registerfunction':
        // HTTP-invoked functions need the http_functions worker, which a bare engine does not run: not registered.
        if (msg.invocation !== undefined) return;
        this.state.functions.set(msg.id, {
          id: msg.id,
          description: msg.description,
          request_format: msg.request_format,
          response_format: msg.response_format,
          metadata: msg.metadata,
          owner: connection,
        });
        connection.functionIds.add(msg.id);
        return;
      case 'unregisterfunction':
        connection.functionIds.delete(msg.id);
        if (this.state.functions.get(msg.id)?.owner === connection) this.state.functions.delete(msg.id);
        return;
      case 'registertriggertype':
        return this.triggers.registerType(connection, msg);
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
      default:
        return; // pong, registerservice, workerregistered: nothing to do
    }
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

  private notify(type: EngineEvent['type'], connection: WorkerConnection): void {
    this.emit({ type, workerId: connection.id, name: connection.metadata.name, pid: connection.metadata.pid, at: Date.now(), monotonicMs: performance.now() });
  }

  /** Engine shutdown: forget everything without firing events at sockets that are about to close. */
  dispose(): void {
    for (const connection of this.state.connections.values()) connection.closed = true;
    this.state.connections.clear();
    this.invocations.clear();
  }
}
