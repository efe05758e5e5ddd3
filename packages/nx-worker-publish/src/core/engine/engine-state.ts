import { ENGINE_FUNCTIONS_WORKER, IN_PROCESS_WORKERS, KNOWN_TRIGGER_TYPE_PROVIDERS, builtinTriggerTypes, type BuiltinTriggerType } from './builtin-workers';
import type { BuiltinFunction } from './builtin-function';
import type { EngineGeneration } from './generation';
import type { Json } from './protocol';
import { WorkerConnection } from './worker-connection';

export interface RegisteredFunction {
  id: string;
  description?: string;
  request_format?: Json;
  response_format?: Json;
  metadata?: Json;
  /** A WebSocket worker, or the in-process builtin that runs it. */
  owner: WorkerConnection | BuiltinFunction;
}

export interface TriggerTypeEntry extends BuiltinTriggerType {
  call_response_format?: Json;
  /** undefined = an in-process provider (accepts every binding, sends nothing). */
  provider?: WorkerConnection;
}

export interface TriggerEntry {
  id: string;
  trigger_type: string;
  function_id: string;
  config: Json;
  metadata?: Json;
  /** The connection that registered it; its triggers go away with it. */
  owner?: WorkerConnection;
  /** Parked = waiting for its trigger type (current generation); not listed, not fired. */
  parked: boolean;
}

export interface InProcessWorker {
  id: string;
  name: string;
  description: string;
  functionIds: string[];
  connectedAtMs: number;
}

export function isConnectionOwned(fn: RegisteredFunction): fn is RegisteredFunction & { owner: WorkerConnection } {
  return fn.owner instanceof WorkerConnection;
}

const firstSegment = (id: string) => id.split('::')[0];

/** Everything the engine knows: connections, in-process workers, functions, trigger types and triggers. */
export class EngineState {
  readonly connections = new Map<string, WorkerConnection>();
  readonly functions = new Map<string, RegisteredFunction>();
  readonly triggerTypes = new Map<string, TriggerTypeEntry>();
  readonly triggers = new Map<string, TriggerEntry>();
  readonly inProcessWorkers: InProcessWorker[];

  constructor(
    readonly generation: EngineGeneration,
    readonly engineVersion: string,
  ) {
    const startedAtMs = Date.now();
    this.inProcessWorkers = IN_PROCESS_WORKERS.map((w) => ({ id: w.name, name: w.name, description: w.description, functionIds: [], connectedAtMs: startedAtMs }));
    for (const type of builtinTriggerTypes(generation)) this.triggerTypes.set(type.id, { ...type });
  }

  /** The introspection functions are owned by the in-process `iii-engine-functions` worker. */
  installBuiltins(builtins: BuiltinFunction[]): void {
    for (const builtin of builtins) this.functions.set(builtin.id, { id: builtin.id, description: builtin.description, owner: builtin });
    const owner = this.inProcessWorkers.find((w) => w.name === ENGINE_FUNCTIONS_WORKER);
    if (owner) owner.functionIds = builtins.map((b) => b.id).sort();
  }

  activeTriggers(): TriggerEntry[] {
    return [...this.triggers.values()].filter((t) => !t.parked);
  }

  /** `function_owner_index` + `worker_name_for_function_id`: in-process workers win, then named connections, else the id's first segment. */
  functionOwnerIndex(): Map<string, string> {
    const index = new Map<string, string>();
    for (const worker of this.inProcessWorkers) for (const id of worker.functionIds) if (!index.has(id)) index.set(id, worker.name);
    for (const connection of this.connections.values()) {
      if (!connection.name) continue;
      for (const id of connection.functionIds) if (!index.has(id)) index.set(id, connection.name);
    }
    return index;
  }

  workerNameForFunction(index: Map<string, string>, functionId: string): string {
    return index.get(functionId) ?? firstSegment(functionId);
  }

  /** `owner_name_for_trigger_type`: the provider connection's name, the known provider, else the id's first segment. */
  triggerTypeOwnerName(type: TriggerTypeEntry): string {
    return type.provider?.name ?? KNOWN_TRIGGER_TYPE_PROVIDERS[type.id] ?? firstSegment(type.id);
  }
}
