import type { BuiltinFunction, InputReader } from './builtin-function';
import type { EngineState } from './engine-state';
import { sortWorkersByDisplayName } from './introspection-order';

/**
 * The introspection builtins of the 0.11 generation (engine ≤ v0.12, read at v0.11.6-next.1, spec §4.1):
 * `workers[].functions` and `timestamp`, formats in `functions::list`, `engine::trigger-types::list`, and an
 * `engine::triggers::list` that lists trigger instances. Lists other than workers are unordered on the
 * engine; here they keep registration order.
 */
export function legacyIntrospection(state: EngineState, workersRegister: BuiltinFunction): BuiltinFunction[] {
  const includeInternal = (input: InputReader) => input.optionalBoolean('include_internal') ?? false;

  const functionsList = (input: InputReader) => {
    const all = [...state.functions.values()].map((f) => ({
      function_id: f.id,
      description: f.description ?? null,
      request_format: f.request_format ?? null,
      response_format: f.response_format ?? null,
      metadata: f.metadata ?? null,
    }));
    return { functions: includeInternal(input) ? all : all.filter((f) => !f.function_id.startsWith('engine::')) };
  };

  const workersList = (input: InputReader) => {
    const workerId = input.optionalString('worker_id');
    // A worker_id filter also bypasses the pid visibility rule (debug lookups).
    const connected = [...state.connections.values()]
      .filter((c) => (workerId === undefined ? c.metadata.pid !== undefined : c.id === workerId))
      .map((c) => ({
        id: c.id,
        name: c.metadata.name ?? null,
        runtime: c.metadata.runtime ?? null,
        version: c.metadata.version ?? null,
        os: c.metadata.os ?? null,
        ip_address: c.ipAddress,
        internal: false,
        status: 'connected',
        connected_at_ms: c.connectedAtMs,
        function_count: c.functionIds.size,
        functions: [...c.functionIds],
        active_invocations: c.invocations.size,
        latest_metrics: null,
        pid: c.metadata.pid,
        isolation: c.metadata.isolation,
      }));
    const inProcess = state.inProcessWorkers
      .filter((w) => workerId === undefined || w.id === workerId)
      .map((w) => ({
        id: w.id,
        name: w.name as string | null,
        runtime: 'engine',
        version: state.engineVersion,
        os: null,
        ip_address: null,
        internal: true,
        status: 'available',
        connected_at_ms: w.connectedAtMs,
        function_count: w.functionIds.length,
        functions: [...w.functionIds],
        active_invocations: 0,
        latest_metrics: null,
        isolation: 'in-process',
      }));
    return { workers: sortWorkersByDisplayName<{ id: string; name: string | null }>([...connected, ...inProcess]), timestamp: Date.now() };
  };

  const triggersList = (input: InputReader) => {
    const all = state.activeTriggers().map((t) => ({ id: t.id, trigger_type: t.trigger_type, function_id: t.function_id, config: t.config, metadata: t.metadata }));
    return { triggers: includeInternal(input) ? all : all.filter((t) => !t.function_id.startsWith('engine::')) };
  };

  const triggerTypesList = (input: InputReader) => {
    const all = [...state.triggerTypes.values()].map((t) => ({
      id: t.id,
      description: t.description,
      trigger_request_format: t.trigger_request_format,
      call_request_format: t.call_request_format,
    }));
    return { trigger_types: includeInternal(input) ? all : all.filter((t) => !t.id.startsWith('engine::')) };
  };

  return [
    { id: 'engine::functions::list', description: 'List all functions', handler: functionsList },
    { id: 'engine::workers::list', description: 'List all workers with metrics', handler: workersList },
    { id: 'engine::triggers::list', description: 'List all triggers', handler: triggersList },
    { id: 'engine::trigger-types::list', description: 'List all trigger types with their configuration and call request formats', handler: triggerTypesList },
    workersRegister,
  ];
}
