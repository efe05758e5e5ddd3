import { BuiltinError, type BuiltinFunction, type InputReader } from './builtin-function';
import type { EngineState, RegisteredFunction, TriggerEntry, TriggerTypeEntry } from './engine-state';
import { compareText } from './introspection-order';
import {
  INTROSPECTION_DESCRIPTIONS as D,
  introspectionRows,
  readFunctionInfoIds,
  selectFunctions,
  selectRegisteredTriggers,
  selectTriggerTypes,
  selectWorkers,
  visibleConnections,
  withNamespace,
} from './introspection-rows';
import { DEFAULT_NAMESPACE } from './namespaced-map';
import type { WorkerConnection } from './worker-connection';

/**
 * The introspection builtins of the 0.23 generation (`engine_fn/mod.rs@v0.23.0-rc.4`, spec iii-engine-0.23 §1.3):
 * the 0.13 rows plus `namespace`, and `workers::info` / `functions::info` / `triggers::info` that take an
 * optional `namespace`. An explicit namespace is strict. A bare name or id prefers `default`, else the one
 * non-default namespace it lives in, else it is ambiguous (NOT_FOUND). `triggers::info` looks in
 * `namespace ?? "default"` only.
 */

/** Which namespace a bare lookup means: `default` if there, else the only one, else none (absent or ambiguous). */
function bareNamespace(namespaces: string[]): string | undefined {
  if (namespaces.includes(DEFAULT_NAMESPACE)) return DEFAULT_NAMESPACE;
  return namespaces.length === 1 ? namespaces[0] : undefined;
}

export function namespacedIntrospection(state: EngineState, workersRegister: BuiltinFunction, typeOf: (t: TriggerEntry) => TriggerTypeEntry | undefined): BuiltinFunction[] {
  const rows = introspectionRows(state);
  const functionSummary = (fn: RegisteredFunction, index: Map<string, string>) => withNamespace(rows.functionSummary(fn, index), 'function_id', fn.namespace);
  const functionDetail = (fn: RegisteredFunction, index: Map<string, string>) => withNamespace(rows.functionDetail(fn, index), 'function_id', fn.namespace);
  const triggerTypeSummary = (t: TriggerTypeEntry) => withNamespace(rows.triggerTypeSummary(t), 'id', t.namespace);
  const triggerTypeDetail = (t: TriggerTypeEntry) =>
    withNamespace(rows.triggerTypeDetail(t, state.activeTriggers().filter((trigger) => typeOf(trigger) === t).length), 'id', t.namespace);
  const workerSummary = (c: WorkerConnection) => withNamespace(rows.workerSummary(c), 'id', c.namespace);

  /** The function a lookup means, or the NOT_FOUND message saying why there is none. */
  const resolveFunction = (id: string, explicit: string | undefined): RegisteredFunction | string => {
    const namespaces = state.functions.namespacesOf(id);
    const elsewhere = namespaces.length > 0 ? ` It is registered in namespace(s): ${namespaces.join(', ')}.` : '';
    if (explicit !== undefined) return state.functions.get(id, explicit) ?? `Function '${id}' is not registered in namespace '${explicit}'.${elsewhere}`;
    const namespace = bareNamespace(namespaces);
    if (namespace !== undefined) return state.functions.get(id, namespace)!;
    return namespaces.length === 0
      ? `Function '${id}' is not registered.`
      : `Function '${id}' is ambiguous: it is registered in namespace(s): ${namespaces.join(', ')}. Pass \`namespace\` to select one.`;
  };

  const functionsList = (input: InputReader) => {
    const index = state.functionOwnerIndex();
    return { functions: selectFunctions(state, input, index).map((fn) => functionSummary(fn, index)) };
  };

  const functionsInfo = (input: InputReader) => {
    const ids = readFunctionInfoIds(input);
    const explicit = input.optionalString('namespace');
    const index = state.functionOwnerIndex();
    if ('single' in ids) {
      const found = resolveFunction(ids.single, explicit);
      if (typeof found === 'string') throw new BuiltinError('NOT_FOUND', found);
      return functionDetail(found, index);
    }
    return {
      functions: ids.batch.map((id) => {
        const found = resolveFunction(id, explicit);
        return typeof found === 'string' ? { function_id: id, error: 'not_found' } : functionDetail(found, index);
      }),
    };
  };

  const triggersList = (input: InputReader) => ({ triggers: selectTriggerTypes(state, input).map(triggerTypeSummary) });

  const triggersInfo = (input: InputReader) => {
    const id = input.requiredString('id');
    const namespace = input.optionalString('namespace') ?? DEFAULT_NAMESPACE;
    const type = state.triggerTypes.get(id, namespace);
    if (!type) throw new BuiltinError('NOT_FOUND', `Trigger type '${id}' is not registered in namespace '${namespace}'.`);
    return triggerTypeDetail(type);
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
    const type = typeOf(trigger);
    const fn = state.functions.get(trigger.function_id, trigger.namespace);
    return {
      id: trigger.id,
      trigger_type: trigger.trigger_type,
      function_id: trigger.function_id,
      worker_name: state.workerNameForFunction(index, trigger.function_id, trigger.namespace),
      config: trigger.config,
      metadata: trigger.metadata,
      trigger: type ? triggerTypeDetail(type) : null,
      function: fn ? functionDetail(fn, index) : null,
    };
  };

  const workersList = (input: InputReader) => ({
    workers: selectWorkers(
      input,
      visibleConnections(state).map(workerSummary),
      state.inProcessWorkers.map((w) => withNamespace(rows.inProcessSummary(w), 'id', DEFAULT_NAMESPACE)),
    ),
  });

  /** The worker a name means: in-process workers live in `default`; a name is unique per namespace. */
  const resolveWorker = (name: string, explicit: string | undefined) => {
    const inProcess = state.inProcessWorkers.find((w) => w.name === name);
    const connections = [...state.connections.values()].filter((c) => c.metadata.name === name);
    const namespaces = [...new Set([...(inProcess ? [DEFAULT_NAMESPACE] : []), ...connections.map((c) => c.namespace)])].sort(compareText);
    const namespace = explicit ?? bareNamespace(namespaces);
    if (namespace === undefined) {
      throw new BuiltinError(
        'NOT_FOUND',
        namespaces.length === 0
          ? `Worker '${name}' is not connected.`
          : `Worker '${name}' is ambiguous: it is connected in namespace(s): ${namespaces.join(', ')}. Pass \`namespace\` to select one.`,
      );
    }
    if (inProcess && namespace === DEFAULT_NAMESPACE) return { inProcess };
    const connection = connections.find((c) => c.namespace === namespace);
    if (!connection) {
      const elsewhere = namespaces.length > 0 ? ` It is connected in namespace(s): ${namespaces.join(', ')}.` : '';
      throw new BuiltinError('NOT_FOUND', `Worker '${name}' is not connected in namespace '${namespace}'.${elsewhere}`);
    }
    return { connection };
  };

  const workersInfo = (input: InputReader) => {
    const name = input.requiredString('name');
    const { inProcess, connection } = resolveWorker(name, input.optionalString('namespace'));
    const namespace = connection?.namespace ?? DEFAULT_NAMESPACE;
    const worker = inProcess
      ? { ...withNamespace(rows.inProcessSummary(inProcess), 'id', namespace), internal: true }
      : { ...workerSummary(connection!), pid: connection!.metadata.pid, internal: false };
    const functionIds = inProcess ? inProcess.functionIds : [...connection!.functionIds];
    const index = state.functionOwnerIndex();
    const own = functionIds.map((id) => state.functions.get(id, namespace)).filter((fn) => fn !== undefined);
    const functions = own.map((fn) => functionSummary(fn, index)).sort((a, b) => compareText(a.function_id, b.function_id));
    // A WS worker's trigger types are the ones its own connection registered; in-process ones go by owner name.
    const triggerTypes = [...state.triggerTypes.values()]
      .filter((t) => (connection ? t.provider === connection : !t.provider && state.triggerTypeOwnerName(t) === name))
      .map(triggerTypeSummary)
      .sort((a, b) => compareText(a.id, b.id));
    const ownIds = new Set(own.map((fn) => fn.id));
    const registeredTriggers = state
      .activeTriggers()
      .filter((t) => t.namespace === namespace && ownIds.has(t.function_id))
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
