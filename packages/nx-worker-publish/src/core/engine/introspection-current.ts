import { BuiltinError, type BuiltinFunction, type InputReader } from './builtin-function';
import type { EngineState } from './engine-state';
import {
  INTROSPECTION_DESCRIPTIONS as D,
  introspectionRows,
  readFunctionInfoIds,
  selectFunctions,
  selectRegisteredTriggers,
  selectTriggerTypes,
  selectWorkers,
  visibleConnections,
} from './introspection-rows';
import { compareText } from './introspection-order';

/**
 * The introspection builtins of the 0.13 generation (engine v0.13 … v0.22.1, spec §4.2): one namespace
 * (`default`), every lookup by bare id or name.
 */
export function currentIntrospection(state: EngineState, workersRegister: BuiltinFunction): BuiltinFunction[] {
  const rows = introspectionRows(state);

  const functionDetail = (id: string, index: Map<string, string>) => {
    const fn = state.functions.get(id);
    return fn && rows.functionDetail(fn, index);
  };

  const triggerTypeDetail = (id: string) => {
    const t = state.triggerTypes.get(id);
    return t && rows.triggerTypeDetail(t, state.activeTriggers().filter((trigger) => trigger.trigger_type === id).length);
  };

  const functionsList = (input: InputReader) => {
    const index = state.functionOwnerIndex();
    return { functions: selectFunctions(state, input, index).map((fn) => rows.functionSummary(fn, index)) };
  };

  const functionsInfo = (input: InputReader) => {
    const ids = readFunctionInfoIds(input);
    const index = state.functionOwnerIndex();
    if ('single' in ids) {
      const detail = functionDetail(ids.single, index);
      if (!detail) throw new BuiltinError('NOT_FOUND', `Function '${ids.single}' is not registered.`);
      return detail;
    }
    return { functions: ids.batch.map((id) => functionDetail(id, index) ?? { function_id: id, error: 'not_found' }) };
  };

  const triggersList = (input: InputReader) => ({ triggers: selectTriggerTypes(state, input).map(rows.triggerTypeSummary) });

  const triggersInfo = (input: InputReader) => {
    const id = input.requiredString('id');
    const detail = triggerTypeDetail(id);
    if (!detail) throw new BuiltinError('NOT_FOUND', `Trigger type '${id}' is not registered.`);
    return detail;
  };

  const registeredTriggersList = (input: InputReader) => {
    const index = state.functionOwnerIndex();
    return { registered_triggers: selectRegisteredTriggers(state, input, index).map((t) => rows.registeredTriggerSummary(t, index)) };
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

  const workersList = (input: InputReader) => ({
    workers: selectWorkers(input, visibleConnections(state).map(rows.workerSummary), state.inProcessWorkers.map(rows.inProcessSummary)),
  });

  const workersInfo = (input: InputReader) => {
    const name = input.requiredString('name');
    const inProcess = state.inProcessWorkers.find((w) => w.name === name);
    const connection = inProcess ? undefined : [...state.connections.values()].find((c) => c.metadata.name === name);
    if (!inProcess && !connection) throw new BuiltinError('NOT_FOUND', `Worker '${name}' is not connected.`);
    const worker = inProcess
      ? { ...rows.inProcessSummary(inProcess), internal: true }
      : { ...rows.workerSummary(connection!), pid: connection!.metadata.pid, internal: false };
    const functionIds = inProcess ? inProcess.functionIds : [...connection!.functionIds];
    const index = state.functionOwnerIndex();
    const functions = functionIds
      .map((id) => state.functions.get(id))
      .filter((fn) => fn !== undefined)
      .map((fn) => rows.functionSummary(fn, index))
      .sort((a, b) => compareText(a.function_id, b.function_id));
    // Trigger types are attributed by resolved owner name, exactly as engine::triggers::list does.
    const triggerTypes = [...state.triggerTypes.values()]
      .filter((t) => state.triggerTypeOwnerName(t) === name)
      .map(rows.triggerTypeSummary)
      .sort((a, b) => compareText(a.id, b.id));
    const ownIds = new Set(functions.map((f) => f.function_id));
    const registeredTriggers = state
      .activeTriggers()
      .filter((t) => ownIds.has(t.function_id))
      .map((t) => rows.registeredTriggerSummary(t, index))
      .sort((a, b) => compareText(a.id, b.id));
    return { worker, functions, trigger_types: triggerTypes, registered_triggers: registeredTriggers };
  };

  return [
    { id: 'engine::functions::list', description: D.functionsList, handler: functionsList },
    { id: 'engine::functions::info', description: D.functionsInfo, handler: functionsInfo },
    { id: 'engine::triggers::list', description: D.triggersList, handler: triggersList },
    { id: 'engine::triggers::info', description: D.triggersInfo, handler: triggersInfo },
    { id: 'engine::registered-triggers::list', description: D.registeredTriggersList, handler: registeredTriggersList },
    { id: 'engine::registered-triggers::info', description: D.registeredTriggersInfo, handler: registeredTriggersInfo },
    { id: 'engine::workers::list', description: D.workersList, handler: workersList },
    { id: 'engine::workers::info', description: D.workersInfo, handler: workersInfo },
    workersRegister,
  ];
}
