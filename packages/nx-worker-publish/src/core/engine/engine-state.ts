import { ENGINE_FUNCTIONS_WORKER, IN_PROCESS_WORKERS, KNOWN_TRIGGER_TYPE_PROVIDERS, builtinTriggerTypes, type BuiltinTriggerType } from './builtin-workers';
import type { BuiltinFunction } from './builtin-function';
import type { EngineGeneration } from './generation';
import { DEFAULT_NAMESPACE, NamespacedMap } from './namespaced-map';
import type { Json } from './protocol';
import { WorkerConnection } from './worker-connection';

export interface RegisteredFunction {
  id: string;
  /** The owner's connection namespace (`default` for builtins and before 0.23). */
  namespace: string;
  description?: string;
  request_format?: Json;
  response_format?: Json;
  metadata?: Json;
  /** A WebSocket worker, or the in-process builtin that runs it. */
  owner: WorkerConnection | BuiltinFunction;
}

export interface TriggerTypeEntry extends BuiltinTriggerType {
  namespace: string;
  call_response_format?: Json;
  /** undefined = an in-process provider (accepts every binding, sends nothing). */
  provider?: WorkerConnection;
}

export interface TriggerEntry {
  id: string;
  trigger_type: string;
  function_id: string;
  /** Namespace of the target function. */
  namespace: string;
  /** Namespace of the trigger type's provider; undefined = the owner's namespace first, then `default`. */
  triggerNamespace?: string;
  config: Json;
  metadata?: Json;
  /** The connection that registered it; its triggers go away with it. */
  owner?: WorkerConnection;
  /** Parked = waiting for its trigger type (from 0.13); not listed, not fired. */
  parked: boolean;
}

export interface InProcessWorker {
  id: string;
  name: string;
  description: string;
  functionIds: string[];
  connectedAtMs: number;
}

/** `(namespace, id)` as one map key, for indexes over functions of several namespaces. */
export const functionKey = (namespace: string, id: string) => `${namespace}\u0000${id}`;

export function isConnectionOwned(fn: RegisteredFunction): fn is RegisteredFunction & { owner: WorkerConnection } {
  return fn.owner instanceof WorkerConnection;
}

const firstSegment = (id: string) => id.split('::')[0];

/** Everything the engine knows: connections, in-process workers, functions, trigger types and triggers. */
export class EngineState {
  readonly connections = new Map<string, WorkerConnection>();
  readonly functions = new NamespacedMap<RegisteredFunction>();
  readonly triggerTypes = new NamespacedMap<TriggerTypeEntry>();
  readonly triggers = new Map<string, TriggerEntry>();
  readonly inProcessWorkers: InProcessWorker[];

  constructor(
    readonly generation: EngineGeneration,
    readonly engineVersion: string,
  ) {
    const startedAtMs = Date.now();
    this.inProcessWorkers = IN_PROCESS_WORKERS.map((w) => ({ id: w.name, name: w.name, description: w.description, functionIds: [], connectedAtMs: startedAtMs }));
    for (const type of builtinTriggerTypes(generation)) this.triggerTypes.set({ ...type, namespace: DEFAULT_NAMESPACE });
  }

  /** Builtins live in `default` and are listed under their in-process worker (`iii-engine-functions` unless named). */
  installBuiltins(builtins: BuiltinFunction[]): void {
    for (const builtin of builtins) {
      this.functions.set({ id: builtin.id, namespace: DEFAULT_NAMESPACE, description: builtin.description, owner: builtin });
      const owner = this.inProcessWorkers.find((w) => w.name === (builtin.worker ?? ENGINE_FUNCTIONS_WORKER));
      owner?.functionIds.push(builtin.id);
    }
    for (const worker of this.inProcessWorkers) worker.functionIds.sort();
  }

  activeTriggers(): TriggerEntry[] {
    return [...this.triggers.values()].filter((t) => !t.parked);
  }

  private ownerIndex?: { key: string; index: Map<string, string> };

  /**
   * `function_owner_index` + `worker_name_for_function_id`: in-process workers win, then named connections, else the
   * id's first segment. Built again only when a connection's name, namespace or function ids changed (a big worker's
   * interface is read in hundreds of `functions::info` calls); callers must not modify it.
   */
  functionOwnerIndex(): Map<string, string> {
    const key = this.ownerIndexKey();
    if (this.ownerIndex?.key === key) return this.ownerIndex.index;
    const index = new Map<string, string>();
    const claim = (namespace: string, id: string, name: string) => {
      const key = functionKey(namespace, id);
      if (!index.has(key)) index.set(key, name);
    };
    for (const worker of this.inProcessWorkers) for (const id of worker.functionIds) claim(DEFAULT_NAMESPACE, id, worker.name);
    for (const connection of this.connections.values()) {
      if (!connection.name) continue;
      for (const id of connection.functionIds) claim(connection.namespace, id, connection.name);
    }
    this.ownerIndex = { key, index };
    return index;
  }

  /** Everything the owner index depends on, in O(workers). */
  private ownerIndexKey(): string {
    const inProcess = this.inProcessWorkers.map((w) => w.functionIds.length).join(',');
    const connections = [...this.connections.values()].map((c) => `${c.id}\u0000${c.name ?? ''}\u0000${c.namespace}\u0000${c.functionIds.revision}`);
    return [inProcess, ...connections].join('\u0001');
  }

  workerNameForFunction(index: Map<string, string>, functionId: string, namespace = DEFAULT_NAMESPACE): string {
    return index.get(functionKey(namespace, functionId)) ?? firstSegment(functionId);
  }

  /** `owner_name_for_trigger_type`: the provider connection's name, the known provider, else the id's first segment. */
  triggerTypeOwnerName(type: TriggerTypeEntry): string {
    return type.provider?.name ?? KNOWN_TRIGGER_TYPE_PROVIDERS[type.id] ?? firstSegment(type.id);
  }
}
