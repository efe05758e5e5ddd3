import { BuiltinError, type InputReader } from './builtin-function';
import type { EngineState, InProcessWorker, RegisteredFunction, TriggerEntry, TriggerTypeEntry } from './engine-state';
import { compareText, sortWorkersByDisplayName } from './introspection-order';
import { isJsonObject, type Json } from './protocol';
import type { WorkerConnection } from './worker-connection';

/**
 * The rows of the introspection builtins from engine v0.13 on (spec iii-protocol §4.2), with the field names and
 * order of the engine's structs (`engine/src/workers/engine_fn/mod.rs@v0.22.1`), and the filters of the list
 * functions. Shared by the 0.13 and 0.23 generations; 0.23 adds `namespace` to each row (`withNamespace`).
 * Fields the engine skips when empty are left `undefined` (JSON.stringify drops them); nullable ones are `null`.
 */

const CONFIG_SUMMARY_MAX_CHARS = 80;

export const matchesSearch = (needle: string, haystacks: string[]) => haystacks.some((h) => h.toLowerCase().includes(needle.toLowerCase()));

/** 0 = the needle anchors the id, 1 = inside the id, 2 = only in the description. */
function searchRank(functionId: string, needle: string): number {
  const id = functionId.toLowerCase();
  if (id.startsWith(needle) || id.split('::').some((seg) => seg === needle)) return 0;
  return id.includes(needle) ? 1 : 2;
}

function configSummary(config: Json): string {
  const chars = [...JSON.stringify(config)];
  return chars.length <= CONFIG_SUMMARY_MAX_CHARS ? chars.join('') : chars.slice(0, CONFIG_SUMMARY_MAX_CHARS).join('') + '…';
}

/** A copy of `row` with `namespace` placed right after `afterKey`, where the 0.23 structs carry it. */
export function withNamespace<T extends object>(row: T, afterKey: keyof T, namespace: string): T & { namespace: string } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = value;
    if (key === afterKey) out.namespace = namespace;
  }
  return out as T & { namespace: string };
}

const isInternalFunction = (id: string, metadata: Json | undefined) =>
  (id.startsWith('engine::') && !id.startsWith('engine::queue::')) || (isJsonObject(metadata) && metadata.internal === true);

export function introspectionRows(state: EngineState) {
  const workerSummary = (c: WorkerConnection) => ({
    name: c.metadata.name ?? null,
    description: c.metadata.description ?? null,
    version: c.metadata.version ?? null,
    id: c.id,
    runtime: c.metadata.runtime ?? null,
    os: c.metadata.os ?? null,
    status: 'connected',
    function_count: c.functionIds.size,
    connected_at_ms: c.connectedAtMs,
    active_invocations: c.invocations.size,
    isolation: c.metadata.isolation ?? null,
    ip_address: c.ipAddress,
  });

  const inProcessSummary = (w: InProcessWorker) => ({
    name: w.name,
    description: w.description,
    version: state.engineVersion,
    id: w.id,
    runtime: 'engine',
    os: null,
    status: 'available',
    function_count: w.functionIds.length,
    connected_at_ms: w.connectedAtMs,
    active_invocations: 0,
    isolation: 'in-process',
    ip_address: null,
  });

  const functionSummary = (fn: RegisteredFunction, index: Map<string, string>) => ({
    function_id: fn.id,
    worker_name: state.workerNameForFunction(index, fn.id, fn.namespace),
    description: fn.description,
    metadata: fn.metadata,
  });

  const functionTriggers = (fn: RegisteredFunction) =>
    state
      .activeTriggers()
      .filter((t) => t.function_id === fn.id && t.namespace === fn.namespace)
      .map((t) => ({ id: t.id, trigger_type: t.trigger_type, config: t.config }));

  const functionDetail = (fn: RegisteredFunction, index: Map<string, string>) => ({
    function_id: fn.id,
    worker_name: state.workerNameForFunction(index, fn.id, fn.namespace),
    description: fn.description,
    request_schema: fn.request_format,
    response_schema: fn.response_format,
    metadata: fn.metadata,
    registered_triggers: functionTriggers(fn),
  });

  const triggerTypeSummary = (t: TriggerTypeEntry) => ({ id: t.id, worker_name: state.triggerTypeOwnerName(t), description: t.description });

  const triggerTypeDetail = (t: TriggerTypeEntry, instanceCount: number) => ({
    id: t.id,
    worker_name: state.triggerTypeOwnerName(t),
    description: t.description,
    configuration_schema: t.trigger_request_format,
    request_schema: t.call_request_format,
    response_schema: t.call_response_format,
    instance_count: instanceCount,
  });

  const registeredTriggerSummary = (t: TriggerEntry, index: Map<string, string>) => ({
    id: t.id,
    trigger_type: t.trigger_type,
    function_id: t.function_id,
    worker_name: state.workerNameForFunction(index, t.function_id, t.namespace),
    config: t.config,
    config_summary: configSummary(t.config),
  });

  return { workerSummary, inProcessSummary, functionSummary, functionDetail, triggerTypeSummary, triggerTypeDetail, registeredTriggerSummary };
}

/** `engine::functions::list` filters and order, over entries so a generation can decorate the rows after. */
export function selectFunctions(state: EngineState, input: InputReader, index: Map<string, string>): RegisteredFunction[] {
  const search = input.optionalString('search');
  const prefix = input.optionalString('prefix');
  const worker = input.optionalString('worker');
  const workers = input.optionalStringArray('workers');
  const includeInternal = input.optionalBoolean('include_internal') ?? false;
  let functions = [...state.functions.values()];
  if (!includeInternal) functions = functions.filter((f) => !isInternalFunction(f.id, f.metadata));
  if (prefix !== undefined) functions = functions.filter((f) => f.id.startsWith(prefix));
  if (worker !== undefined || (workers && workers.length > 0)) {
    const owner = (f: RegisteredFunction) => state.workerNameForFunction(index, f.id, f.namespace);
    functions = functions.filter((f) => owner(f) === worker || (workers ?? []).includes(owner(f)));
  }
  const byId = (a: RegisteredFunction, b: RegisteredFunction) => compareText(a.id, b.id) || compareText(a.namespace, b.namespace);
  if (search) {
    const needle = search.toLowerCase();
    functions = functions.filter((f) => matchesSearch(search, [f.id, f.description ?? '']));
    functions.sort((a, b) => searchRank(a.id, needle) - searchRank(b.id, needle) || byId(a, b));
  } else {
    functions.sort(byId);
  }
  return functions;
}

/** `engine::triggers::list` filters and order. */
export function selectTriggerTypes(state: EngineState, input: InputReader): TriggerTypeEntry[] {
  const search = input.optionalString('search');
  const prefix = input.optionalString('prefix');
  const worker = input.optionalString('worker');
  const includeInternal = input.optionalBoolean('include_internal') ?? false;
  let types = [...state.triggerTypes.values()];
  if (!includeInternal) types = types.filter((t) => !t.id.startsWith('engine::'));
  if (prefix !== undefined) types = types.filter((t) => t.id.startsWith(prefix));
  if (worker !== undefined) types = types.filter((t) => state.triggerTypeOwnerName(t) === worker);
  if (search) types = types.filter((t) => matchesSearch(search, [t.id, t.description]));
  return types.sort((a, b) => compareText(a.id, b.id) || compareText(a.namespace, b.namespace));
}

/** `engine::registered-triggers::list` filters and order. */
export function selectRegisteredTriggers(state: EngineState, input: InputReader, index: Map<string, string>): TriggerEntry[] {
  const search = input.optionalString('search');
  const triggerType = input.optionalString('trigger_type');
  const functionId = input.optionalString('function_id');
  const worker = input.optionalString('worker');
  const includeInternal = input.optionalBoolean('include_internal') ?? false;
  let rows = state.activeTriggers();
  if (!includeInternal) rows = rows.filter((t) => !t.function_id.startsWith('engine::'));
  if (triggerType !== undefined) rows = rows.filter((t) => t.trigger_type === triggerType);
  if (functionId !== undefined) rows = rows.filter((t) => t.function_id === functionId);
  if (worker !== undefined) rows = rows.filter((t) => state.workerNameForFunction(index, t.function_id, t.namespace) === worker);
  if (search) rows = rows.filter((t) => matchesSearch(search, [t.id, t.trigger_type, t.function_id]));
  return rows.sort((a, b) => compareText(a.id, b.id));
}

/** `engine::workers::list` filters; a connection is listed only once it has reported a pid. */
type WorkerRow = { id: string; name: string | null; runtime: string | null; status: string };

export function selectWorkers<A extends WorkerRow, B extends WorkerRow>(input: InputReader, connected: A[], inProcess: B[]): (A | B)[] {
  const search = input.optionalString('search');
  const runtime = input.optionalString('runtime');
  const status = input.optionalString('status');
  let workers = sortWorkersByDisplayName<A | B>([...connected, ...inProcess]);
  if (runtime !== undefined) workers = workers.filter((w) => w.runtime === runtime);
  if (status !== undefined) workers = workers.filter((w) => w.status === status);
  if (search) workers = workers.filter((w) => matchesSearch(search, [w.name ?? '']));
  return workers;
}

export const visibleConnections = (state: EngineState) => [...state.connections.values()].filter((c) => c.metadata.pid !== undefined);

export const FUNCTION_INFO_BATCH_MAX = 32;

export const INTROSPECTION_DESCRIPTIONS = {
  functionsList: 'List registered functions with their owning worker name.',
  functionsInfo:
    'Inspect functions: schemas, owner, and registered triggers. Single `function_id`, or `function_ids: [...]` (max 32) to fetch several contracts in one call.',
  triggersList: 'List trigger types registered with the engine.',
  triggersInfo: 'Inspect one trigger type: schemas, owner, and live instance count.',
  registeredTriggersList: 'List registered trigger instances (subscriber rows).',
  registeredTriggersInfo: 'Inspect one registered trigger instance with denormalized trigger and function detail.',
  workersList: 'List workers connected to the engine.',
  workersInfo: "Inspect one connected worker's full surface (functions, trigger types, registered triggers).",
};

/** `engine::functions::info` arguments: one `function_id`, or a batch of 1…32 distinct `function_ids`. */
export function readFunctionInfoIds(input: InputReader): { single: string } | { batch: string[] } {
  const functionId = input.optionalString('function_id');
  const functionIds = input.optionalStringArray('function_ids');
  if (functionId !== undefined && functionIds !== undefined) {
    throw new BuiltinError('INVALID_ARGUMENTS', 'pass either `function_id` or `function_ids`, not both');
  }
  if (functionId !== undefined) return { single: functionId };
  if (functionIds === undefined) throw new BuiltinError('INVALID_ARGUMENTS', 'missing field `function_id` (or `function_ids` for a batch)');
  const ids = [...new Set(functionIds)];
  if (ids.length === 0) throw new BuiltinError('INVALID_ARGUMENTS', '`function_ids` must be a non-empty array of function ids');
  if (ids.length > FUNCTION_INFO_BATCH_MAX) throw new BuiltinError('INVALID_ARGUMENTS', `too many function_ids (max ${FUNCTION_INFO_BATCH_MAX})`);
  return { batch: ids };
}
