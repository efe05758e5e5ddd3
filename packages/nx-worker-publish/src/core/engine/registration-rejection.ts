import type { EngineLog } from './engine-log';
import type { WorkerConnection } from './worker-connection';

/**
 * `registrationrejected.code` (engine 0.23, spec iii-engine-0.23 §1.1), and TRIGGER_TYPES_UNSUPPORTED: a trigger type
 * registered with a 0.26 engine, which has none (reported in-process only: there is no such frame on the wire).
 */
export type RegistrationRejectionCode = 'WORKER_NAMESPACE_CONFLICT' | 'FUNCTION_NAMESPACE_CONFLICT' | 'INVALID_NAMESPACE' | 'TRIGGER_TYPES_UNSUPPORTED';

/** One `registrationrejected` the engine sent, as the in-process host sees it. */
export interface RegistrationRejection {
  code: RegistrationRejectionCode;
  /** The namespace the refused registration was for. */
  namespace: string;
  /** The refused connection. */
  workerId: string;
  /** Its self-reported name, when it gave one. */
  workerName?: string;
  /** The refused function id (FUNCTION_NAMESPACE_CONFLICT). */
  functionId?: string;
  /** The trigger type the engine has no place for (TRIGGER_TYPES_UNSUPPORTED). */
  triggerTypeId?: string;
  /** The live worker that keeps the name or id; "" for the engine itself (an `engine::*` id). */
  ownerWorkerId: string;
  ownerWorkerName?: string;
}

export type RegistrationRejectionListener = (rejection: RegistrationRejection) => void;

function describe(r: RegistrationRejection): string {
  const who = r.workerName ? `worker ${r.workerName} (${r.workerId})` : `worker ${r.workerId}`;
  const owner = r.ownerWorkerId === '' ? 'the engine' : r.ownerWorkerName ? `worker ${r.ownerWorkerName} (${r.ownerWorkerId})` : `worker ${r.ownerWorkerId}`;
  switch (r.code) {
    case 'WORKER_NAMESPACE_CONFLICT':
      return `${who} rejected: the name "${r.workerName}" is already held in namespace "${r.namespace}" by ${owner}; connection closed`;
    case 'FUNCTION_NAMESPACE_CONFLICT':
      return r.ownerWorkerId === ''
        ? `${who}: function ${r.functionId} refused in namespace "${r.namespace}": engine::* ids belong to the engine, in namespace "default" only`
        : `${who}: function ${r.functionId} refused in namespace "${r.namespace}": ${owner} already registered it there`;
    case 'INVALID_NAMESPACE':
      return `${who}: engine::workers::register refused: the namespace is blank`;
    case 'TRIGGER_TYPES_UNSUPPORTED':
      return `${who}: trigger type ${r.triggerTypeId} ignored: this engine generation has no trigger types (removed in 0.26)`;
  }
}

/** Sends `registrationrejected` frames, writes each to the engine log and tells the in-process listeners. */
export class RegistrationRejections {
  private readonly listeners = new Set<RegistrationRejectionListener>();

  constructor(private readonly log: EngineLog) {}

  subscribe(listener: RegistrationRejectionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reject(connection: WorkerConnection, rejection: RegistrationRejection): void {
    const frame: Record<string, unknown> = { type: 'registrationrejected', code: rejection.code, namespace: rejection.namespace };
    if (rejection.code === 'WORKER_NAMESPACE_CONFLICT') frame.worker_name = rejection.workerName;
    if (rejection.functionId !== undefined) frame.function_id = rejection.functionId;
    frame.owner_worker_id = rejection.ownerWorkerId;
    connection.send(frame);
    this.report(rejection);
  }

  /** Logs a refusal and tells the in-process listeners, without a frame to the worker. */
  report(rejection: RegistrationRejection): void {
    this.log.write('WARN', `registrationrejected ${rejection.code}: ${describe(rejection)}`);
    for (const listener of this.listeners) listener(rejection);
  }

  clear(): void {
    this.listeners.clear();
  }
}
