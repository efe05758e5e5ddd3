import { isConnectionOwned, type EngineState } from './engine-state';
import type { GenerationRules } from './generation';
import { DEFAULT_NAMESPACE } from './namespaced-map';
import type { WorkerMessage } from './protocol';
import type { RegistrationRejections } from './registration-rejection';
import type { WorkerConnection } from './worker-connection';

type Msg<T extends WorkerMessage['type']> = Extract<WorkerMessage, { type: T }>;

/**
 * `registerfunction` / `unregisterfunction` into the connection's namespace. Before 0.23 the last writer takes a
 * duplicate id over (with a warning on the engine); from 0.23 the first live owner keeps it and the newcomer gets
 * FUNCTION_NAMESPACE_CONFLICT, as does an `engine::*` id outside `default`.
 */
export class FunctionRegistration {
  constructor(
    private readonly state: EngineState,
    private readonly rules: GenerationRules,
    private readonly rejections: RegistrationRejections,
  ) {}

  /** Returns whether the registry changed. */
  register(connection: WorkerConnection, msg: Msg<'registerfunction'>): boolean {
    // HTTP-invoked functions need the http_functions worker, which a bare engine does not run: not registered.
    if (msg.invocation !== undefined) return false;
    const namespace = connection.namespace;
    if (this.rules.firstOwnerKeepsFunction && this.refused(connection, msg.id, namespace)) return false;
    this.state.functions.set({
      id: msg.id,
      namespace,
      description: msg.description,
      request_format: msg.request_format,
      response_format: msg.response_format,
      metadata: msg.metadata,
      owner: connection,
    });
    connection.functionIds.add(msg.id);
    return true;
  }

  unregister(connection: WorkerConnection, msg: Msg<'unregisterfunction'>): boolean {
    connection.functionIds.delete(msg.id);
    if (this.state.functions.get(msg.id, connection.namespace)?.owner !== connection) return false;
    return this.state.functions.delete(msg.id, connection.namespace);
  }

  /** A closing connection: its functions go, but only those it still owns. */
  removeConnection(connection: WorkerConnection): boolean {
    let changed = false;
    for (const id of connection.functionIds) {
      if (this.state.functions.get(id, connection.namespace)?.owner === connection) changed = this.state.functions.delete(id, connection.namespace) || changed;
    }
    return changed;
  }

  private refused(connection: WorkerConnection, id: string, namespace: string): boolean {
    const base = { code: 'FUNCTION_NAMESPACE_CONFLICT' as const, namespace, workerId: connection.id, workerName: connection.name, functionId: id };
    if (id.startsWith('engine::') && namespace !== DEFAULT_NAMESPACE) {
      this.rejections.reject(connection, { ...base, ownerWorkerId: '' });
      return true;
    }
    const holder = this.state.functions.get(id, namespace);
    if (!holder || holder.owner === connection) return false;
    if (!isConnectionOwned(holder)) {
      this.rejections.reject(connection, { ...base, ownerWorkerId: '' });
      return true;
    }
    if (holder.owner.closed) return false;
    this.rejections.reject(connection, { ...base, ownerWorkerId: holder.owner.id, ownerWorkerName: holder.owner.name });
    return true;
  }
}
