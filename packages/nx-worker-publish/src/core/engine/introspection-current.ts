import { BuiltinError, type BuiltinFunction, type InputReader } from './builtin-function';
import type { EngineState, InProcessWorker, TriggerEntry, TriggerTypeEntry } from './engine-state';
import { compareText, sortWorkersByDisplayName } from './introspection-order';
import { isJsonObject, type Json } from './protocol';
import type { WorkerConnection } from './worker-connection';

/**
 * The introspection builtins of the CURRENT generation (engine v0.13 … v0.22.1, spec §4.2), with the field
 * names and order of the engine's structs (`engine/src/workers/engine_fn/mod.rs@v0.22.1`). Fields the engine
 * skips when empty are left `undefined` (JSON.stringify drops them); nullable ones are `null`.
 */

const FUNCTION_INFO_BATCH_MAX = 32;
const CONFIG_SUMMARY_MAX_CHARS = 80;

const matchesSearch = (needle: string, haystacks: string[]) => haystacks.some((h) => h.toLowerCase().includes(needle.toLowerCase()));

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

export function currentIntrospection(state: EngineState, workersRegister: BuiltinFunction): BuiltinFunction[] {
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

  const functionSummary = (id: string, index: Map<string, string>) => {
    const fn = state.functions.get(id)!;
    return { function_id: id, worker_name: state.workerNameForFunction(index, id), description: fn.description, metadata: fn.metadata };
  };

  const functionDetail = (id: string, index: Map<string, string>) => {
    const fn = state.functions.get(id);
    if (!fn) return undefined;
    return {
      function_id: id,
      worker_name: state.workerNameForFunction(index, id),
      description: fn.description,
      request_schema: fn.request_format,
      response_schema: fn.response_format,
      metadata: fn.metadata,
      registered_triggers: state
        .activeTriggers()
        .filter((t) => t.function_id === id)
        .map((t) => ({ id: t.id, trigger_type: t.trigger_type, config: t.config })),
    };
  };

  const triggerTypeSummary = (t: TriggerTypeEntry) => ({ id: t.id, worker_name: state.triggerTypeOwnerName(t), description: t.description });

  const triggerTypeDetail = (id: string) => {
    const t = state.triggerTypes.get(id);
    if (!t) return undefined;
    return {
      id: t.id,
      worker_name: state.triggerTypeOwnerName(t),
      description: t.description,
      configuration_schema: t.trigger_request_format,
      request_schema: t.call_request_format,
      response_schema: t.call_response_format,
      instance_count: state.activeTriggers().filter((trigger) => trigger.trigger_type === id).length,
    };
  };

  const registeredTriggerSummary = (t: TriggerEntry, index: Map<string, string>) => ({
    id: t.id,
    trigger_type: t.trigger_type,
    function_id: t.function_id,
    worker_name: state.workerNameForFunction(index, t.function_id),
    config: t.config,
    config_summary: configSummary(t.config),
  });

  const isInternalFunction = (id: string, metadata: Json | undefined) =>
    (id.startsWith('engine::') && !id.startsWith('engine::queue::')) || (isJsonObject(metadata) && metadata.internal === true);

  const functionsList = (input: InputReader) => {
    const search = input.optionalString('search');
    const prefix = input.optionalString('prefix');
    const worker = input.optionalString('worker');
    const workers = input.optionalStringArray('workers');
    const includeInternal = input.optionalBoolean('include_internal') ?? false;
    const index = state.functionOwnerIndex();
    let functions = [...state.functions.keys()].map((id) => functionSummary(id, index));
    if (!includeInternal) functions = functions.filter((f) => !isInternalFunction(f.function_id, f.metadata));
    if (prefix !== undefined) functions = functions.filter((f) => f.function_id.startsWith(prefix));
    if (worker !== undefined || (workers && workers.length > 0)) {
      functions = functions.filter((f) => f.worker_name === worker || (workers ?? []).includes(f.worker_name));
    }
    if (search) {
      const needle = search.toLowerCase();
      functions = functions.filter((f) => matchesSearch(search, [f.function_id, f.description ?? '']));
      functions.sort((a, b) => searchRank(a.function_id, needle) - searchRank(b.function_id, needle) || compareText(a.function_id, b.function_id));
    } else {
      functions.sort((a, b) => compareText(a.function_id, b.function_id));
    }
    return { functions };
  };

  const functionsInfo = (input: InputReader) => {
    const functionId = input.optionalString('function_id');
    const functionIds = input.optionalStringArray('function_ids');
    if (functionId !== undefined && functionIds !== undefined) {
      throw new BuiltinError('INVALID_ARGUMENTS', 'pass either `function_id` or `function_ids`, not both');
    }
    const index = state.functionOwnerIndex();
    if (functionId !== undefined) {
      const detail = functionDetail(functionId, index);
      if (!detail) throw new BuiltinError('NOT_FOUND', `Function '${functionId}' is not registered.`);
      return detail;
    }
    if (functionIds === undefined) throw new BuiltinError('INVALID_ARGUMENTS', 'missing field `function_id` (or `function_ids` for a batch)');
    const ids = [...new Set(functionIds)];
    if (ids.length === 0) throw new BuiltinError('INVALID_ARGUMENTS', '`function_ids` must be a non-empty array of function ids');
    if (ids.length > FUNCTION_INFO_BATCH_MAX) throw new BuiltinError('INVALID_ARGUMENTS', `too many function_ids (max ${FUNCTION_INFO_BATCH_MAX})`);
    return { functions: ids.map((id) => functionDetail(id, index) ?? { function_id: id, error: 'not_found' }) };
  };

  const triggersList = (input: InputReader) => {
    const search = input.optionalString('search');
    const prefix = input.optionalString('prefix');
    const worker = input.optionalString('worker');
    const includeInternal = input.optionalBoolean('include_internal') ?? false;
    let triggers = [...state.triggerTypes.values()].map(triggerTypeSummary);
    if (!includeInternal) triggers = triggers.filter((t) => !t.id.startsWith('engine::'));
    if (prefix !== undefined) triggers = triggers.filter((t) => t.id.startsWith(prefix));
    if (worker !== undefined) triggers = triggers.filter((t) => t.worker_name === worker);
    if (search) triggers = triggers.filter((t) => matchesSearch(search, [t.id, t.description]));
    return { triggers: triggers.sort((a, b) => compareText(a.id, b.id)) };
  };

  const triggersInfo = (input: InputReader) => {
    const id = input.requiredString('id');
    const detail = triggerTypeDetail(id);
    if (!detail) throw new BuiltinError('NOT_FOUND', `Trigger type '${id}' is not registered.`);
    return detail;
  };

  const registeredTriggersList = (input: InputReader) => {
    const search = input.optionalString('search');
    const triggerType = input.optionalString('trigger_type');
    const functionId = input.optionalString('function_id');
    const worker = input.optionalString('worker');
    const includeInternal = input.optionalBoolean('include_internal') ?? false;
    const index = state.functionOwnerIndex();
    let rows = state.activeTriggers().map((t) => registeredTriggerSummary(t, index));
    if (!includeInternal) rows = rows.filter((t) => !t.function_id.startsWith('engine::'));
    if (triggerType !== undefined) rows = rows.filter((t) => t.trigger_type === triggerType);
    if (functionId !== undefined) rows = rows.filter((t) => t.function_id === functionId);
    if (worker !== undefined) rows = rows.filter((t) => t.worker_name === worker);
    if (search) rows = rows.filter((t) => matchesSearch(search, [t.id, t.trigger_type, t.function_id]));
    return { registered_triggers: rows.sort((a, b) => compareText(a.id, b.id)) };
  };

  const registeredTriggersInfo = (input: InputReader) => {
    const id = input.requiredString('id');
    const trigger = state.triggers.get(id);
    if (!trigger || trigger.parked) throw new BuiltinError('NOT_FOUND', `Registered trigger '${id}' was not found.`);
    const index = state.functionOwnerIndex();
    return {
      id: trigger.id,
      trigger_type: trigger.trigger_type,
      function_id: trigger.function_id,
      worker_name: state.workerNameForFunction(index, trigger.function_id),
      config: trigger.config,
      metadata: trigger.metadata,
      trigger: triggerTypeDetail(trigger.trigger_type) ?? null,
      function: functionDetail(trigger.function_id, index) ?? null,
    };
  };

  const workersList = (input: InputReader) => {
    const search = input.optionalString('search');
    const runtime = input.optionalString('runtime');
    const status = input.optionalString('status');
    // Visibility rule: a connection appears only once it has reported a pid through engine::workers::register.
    const connected = [...state.connections.values()].filter((c) => c.metadata.pid !== undefined).map(workerSummary);
    let workers = sortWorkersByDisplayName([...connected, ...state.inProcessWorkers.map(inProcessSummary)]);
    if (runtime !== undefined) workers = workers.filter((w) => w.runtime === runtime);
    if (status !== undefined) workers = workers.filter((w) => w.status === status);
    if (search) workers = workers.filter((w) => matchesSearch(search, [w.name ?? '']));
    return { workers };
  };

  const workersInfo = (input: InputReader) => {
    const name = input.requiredString('name');
    const inProcess = state.inProcessWorkers.find((w) => w.name === name);
    const connection = inProcess ? undefined : [...state.connections.values()].find((c) => c.metadata.name === name);
    if (!inProcess && !connection) throw new BuiltinError('NOT_FOUND', `Worker '${name}' is not connected.`);
    const worker = inProcess
      ? { ...inProcessSummary(inProcess), internal: true }
      : { ...workerSummary(connection!), pid: connection!.metadata.pid, internal: false };
    const functionIds = inProcess ? inProcess.functionIds : [...connection!.functionIds];
    const index = state.functionOwnerIndex();
    const functions = functionIds
      .filter((id) => state.functions.has(id))
      .map((id) => functionSummary(id, index))
      .sort((a, b) => compareText(a.function_id, b.function_id));
    // Trigger types are attributed by resolved owner name, exactly as engine::triggers::list does.
    const triggerTypes = [...state.triggerTypes.values()]
      .filter((t) => state.triggerTypeOwnerName(t) === name)
      .map(triggerTypeSummary)
      .sort((a, b) => compareText(a.id, b.id));
    const ownIds = new Set(functions.map((f) => f.function_id));
    const registeredTriggers = state
      .activeTriggers()
      .filter((t) => ownIds.has(t.function_id))
      .map((t) => registeredTriggerSummary(t, index))
      .sort((a, b) => compareText(a.id, b.id));
    return { worker, functions, trigger_types: triggerTypes, registered_triggers: registeredTriggers };
  };

  return [
    { id: 'engine::functions::list', description: 'List registered functions with their owning worker name.', handler: functionsList },
    {
      id: 'engine::functions::info',
      description:
        'Inspect functions: schemas, owner, and registered triggers. Single `function_id`, or `function_ids: [...]` (max 32) to fetch several contracts in one call.',
      handler: functionsInfo,
    },
    { id: 'engine::triggers::list', description: 'List trigger types registered with the engine.', handler: triggersList },
    { id: 'engine::triggers::info', description: 'Inspect one trigger type: schemas, owner, and live instance count.', handler: triggersInfo },
    { id: 'engine::registered-triggers::list', description: 'List registered trigger instances (subscriber rows).', handler: registeredTriggersList },
    {
      id: 'engine::registered-triggers::info',
      description: 'Inspect one registered trigger instance with denormalized trigger and function detail.',
      handler: registeredTriggersInfo,
    },
    { id: 'engine::workers::list', description: 'List workers connected to the engine.', handler: workersList },
    {
      id: 'engine::workers::info',
      description: "Inspect one connected worker's full surface (functions, trigger types, registered triggers).",
      handler: workersInfo,
    },
    workersRegister,
  ];
}
