import { BuiltinError, type BuiltinFunction } from './builtin-function';
import type { EngineState } from './engine-state';
import type { GenerationRules } from './generation';
import { DEFAULT_NAMESPACE } from './namespaced-map';
import type { RegistrationRejection } from './registration-rejection';
import { WORKERS_REGISTER_DESCRIPTION, WORKERS_REGISTER_ID, applyWorkerMetadata, callerConnection, readWorkerMetadata } from './worker-registration';
import type { WorkerConnection } from './worker-connection';

/** Close code sent with WORKER_NAMESPACE_CONFLICT: the session is refused by policy. */
const POLICY_VIOLATION = 1008;

export interface NamespacedRegistrationSteps {
  /** Sends and reports a `registrationrejected`. */
  reject(connection: WorkerConnection, rejection: RegistrationRejection): void;
  /** Ends a rejected connection: its registrations go, nothing it sends afterwards counts. */
  evict(connection: WorkerConnection): void;
  /** Fixes the connection's namespace and drains its held registrations into it. */
  resolveNamespace(connection: WorkerConnection, namespace: string): void;
  /** The worker is visible and its registrations are in: tell the subscribers. */
  registered(workerId: string, connection: WorkerConnection | undefined): void;
}

/**
 * `engine::workers::register` of engine 0.23 (`engine_fn/mod.rs@v0.23.0-rc.4` L1947-2050), in its order: a blank
 * namespace is INVALID_NAMESPACE; the name is claimed in the namespace (a live holder → WORKER_NAMESPACE_CONFLICT,
 * close, `{success:false}`); the metadata (pid) is set, so the worker becomes visible; the held registrations
 * drain into the namespace; only then `worker_metadata_updated` fires.
 */
export function namespacedWorkersRegisterFunction(state: EngineState, rules: GenerationRules, steps: NamespacedRegistrationSteps): BuiltinFunction {
  const nameHolder = (connection: WorkerConnection, namespace: string, name: string) =>
    [...state.connections.values()].find((c) => c !== connection && !c.closed && c.namespace === namespace && c.metadata.name === name && c.metadata.pid !== undefined);

  return {
    id: WORKERS_REGISTER_ID,
    description: WORKERS_REGISTER_DESCRIPTION,
    handler: (input) => {
      const { workerId, connection } = callerConnection(state, input);
      const requested = input.optionalString('namespace');
      const read = readWorkerMetadata(rules, input);
      if (requested !== undefined && requested.trim() === '') {
        if (connection) steps.reject(connection, { code: 'INVALID_NAMESPACE', namespace: requested, workerId, workerName: read.name ?? connection.name, ownerWorkerId: '' });
        throw new BuiltinError('INVALID_NAMESPACE', 'namespace must not be blank: omit it for "default"');
      }
      if (!connection) {
        steps.registered(workerId, undefined);
        return { success: true };
      }
      // The namespace is fixed by the first register; a later one only updates the metadata.
      const namespace = connection.pendingRegistrations ? (requested ?? DEFAULT_NAMESPACE) : connection.namespace;
      const name = read.name ?? connection.name;
      const holder = name === undefined ? undefined : nameHolder(connection, namespace, name);
      if (holder) {
        steps.reject(connection, { code: 'WORKER_NAMESPACE_CONFLICT', namespace, workerId, workerName: name, ownerWorkerId: holder.id, ownerWorkerName: holder.name });
        steps.evict(connection);
        // The close frame follows this call's answer, so a caller that awaited the register sees `{success:false}`.
        setImmediate(() => connection.closeSocket(POLICY_VIOLATION, 'WORKER_NAMESPACE_CONFLICT'));
        return { success: false };
      }
      connection.namespace = namespace;
      applyWorkerMetadata(connection, read);
      steps.resolveNamespace(connection, namespace);
      steps.registered(workerId, connection);
      return { success: true };
    },
  };
}
