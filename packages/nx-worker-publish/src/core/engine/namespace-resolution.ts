import type { EngineLog } from './engine-log';
import { DEFAULT_NAMESPACE } from './namespaced-map';
import type { WorkerMessage } from './protocol';
import type { WorkerConnection } from './worker-connection';

/** `REGISTRATION_NAMESPACE_GRACE` of engine 0.23 (`engine/mod.rs@v0.23.0-rc.4` L73). */
export const DEFAULT_NAMESPACE_GRACE_MS = 5000;
export const NAMESPACE_GRACE_ENV = 'III_NAMESPACE_GRACE_MS';

/** The messages a 0.23 engine holds back until it knows the connection's namespace (`is_namespaced_registration`). */
const BUFFERED: ReadonlySet<WorkerMessage['type']> = new Set([
  'registerfunction',
  'registerservice',
  'unregisterfunction',
  'registertrigger',
  'unregistertrigger',
  'registertriggertype',
]);

/**
 * The 0.23 registration handshake (`begin_namespace_resolution` / `resolve_connection_namespace`): a new
 * connection's registrations wait until its `engine::workers::register` names its namespace, or until the grace
 * elapses and they go to `default`; then they are processed in arrival order.
 */
export class NamespaceResolution {
  constructor(
    private readonly graceMs: number,
    private readonly log: EngineLog,
    /** Processes one held-back message, as if it had just arrived. */
    private readonly process: (connection: WorkerConnection, msg: WorkerMessage) => void,
    /** Called once a drain has processed everything it held. */
    private readonly drained: (connection: WorkerConnection) => void,
  ) {}

  begin(connection: WorkerConnection): void {
    connection.pendingRegistrations = [];
    connection.graceTimer = setTimeout(() => {
      if (connection.closed || !connection.pendingRegistrations) return;
      const held = connection.pendingRegistrations.length;
      this.log.write('INFO', `worker ${connection.id}: no engine::workers::register within ${this.graceMs} ms; ${held} held registration(s) go to namespace "${DEFAULT_NAMESPACE}"`);
      this.resolve(connection, DEFAULT_NAMESPACE);
    }, this.graceMs);
  }

  /** Holds the message back if the connection's namespace is not known yet; returns whether it did. */
  holds(connection: WorkerConnection, msg: WorkerMessage): boolean {
    if (!connection.pendingRegistrations || !BUFFERED.has(msg.type)) return false;
    connection.pendingRegistrations.push(msg);
    return true;
  }

  /** Whether the connection is still waiting for its namespace. */
  pending(connection: WorkerConnection): boolean {
    return connection.pendingRegistrations !== undefined;
  }

  /** Fixes the connection's namespace and drains what it held into it. A second call changes nothing. */
  resolve(connection: WorkerConnection, namespace: string): void {
    const held = connection.pendingRegistrations;
    if (!held) return;
    this.cancel(connection);
    connection.namespace = namespace;
    for (const msg of held) {
      if (connection.closed) return;
      this.process(connection, msg);
    }
    this.drained(connection);
  }

  /** A closing connection: whatever it held is dropped. */
  cancel(connection: WorkerConnection): void {
    clearTimeout(connection.graceTimer);
    connection.graceTimer = undefined;
    connection.pendingRegistrations = undefined;
  }
}
