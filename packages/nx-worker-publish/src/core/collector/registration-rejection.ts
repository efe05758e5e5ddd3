import type { EngineWorker } from './engine-records';

/**
 * An engine ≥ 0.23 refused part of a registration (`registrationrejected`, spec iii-engine-0.23 §1.1). The engine
 * tells only the refused connection, so the collector learns of it from an engine that reports in-process (the
 * embedded one); the SDKs ignore or merely log it, which is how a worker ends up published without those functions.
 */
export interface RegistrationRejection {
  code: string;
  /** The connection that was refused. */
  workerId: string;
  namespace: string;
  workerName?: string;
  functionId?: string;
  /** A trigger type the engine has no place for (TRIGGER_TYPES_UNSUPPORTED, engine generation 0.26). */
  triggerTypeId?: string;
  /** The live worker that keeps the name or function id ("" for engine-reserved `engine::*` ids). */
  ownerWorkerId: string;
  ownerWorkerName?: string;
}

export const WORKER_NAMESPACE_CONFLICT = 'WORKER_NAMESPACE_CONFLICT';
export const FUNCTION_NAMESPACE_CONFLICT = 'FUNCTION_NAMESPACE_CONFLICT';
export const TRIGGER_TYPES_UNSUPPORTED = 'TRIGGER_TYPES_UNSUPPORTED';

/** The collection cannot yield the worker's complete interface because the engine refused part of it. */
export class RegistrationRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistrationRejectedError';
  }
}

const describeOwner = ({ ownerWorkerId, ownerWorkerName }: RegistrationRejection, owners: readonly EngineWorker[]) => {
  if (ownerWorkerId === '') return 'the engine itself (engine::* ids are reserved to the default namespace)';
  const name = ownerWorkerName ?? owners.find((w) => w.id === ownerWorkerId)?.name;
  return name ? `worker "${name}" (id ${ownerWorkerId})` : `the worker with id ${ownerWorkerId}`;
};

/** One paragraph naming the worker, what was refused and who holds it; `owners` are the workers the engine lists. */
export function rejectionMessage(worker: string, rejection: RegistrationRejection, owners: readonly EngineWorker[]): string {
  const namespace = `namespace "${rejection.namespace}"`;
  const owner = describeOwner(rejection, owners);
  if (rejection.code === WORKER_NAMESPACE_CONFLICT) {
    return (
      `the engine refused worker ${worker}: ${owner} already holds the name "${rejection.workerName ?? worker}" in ${namespace} ` +
        `(${WORKER_NAMESPACE_CONFLICT}), so the engine closed this worker's connection. Stop the other worker (often a stale ` +
        `process of an earlier run) or give this one a unique name, then run again.`
    );
  }
  if (rejection.code === FUNCTION_NAMESPACE_CONFLICT) {
    return (
      `the engine refused function ${rejection.functionId ?? '(unknown id)'} of worker ${worker}: ${owner} already owns that id in ` +
        `${namespace} (${FUNCTION_NAMESPACE_CONFLICT}), so it would be missing from the interface. Nothing was written. Stop ` +
        `the other worker, or register the function under an id of this worker's own.`
    );
  }
  if (rejection.code === TRIGGER_TYPES_UNSUPPORTED) {
    return (
      `worker ${worker} registered trigger type ${rejection.triggerTypeId ?? '(unknown id)'}, but the engine generation 0.26 has no ` +
        `trigger types (iii removed them in 0.26), so it would be missing from the interface. Nothing was written. Collect it on ` +
        `a generation that has them: set engineGeneration to 0.25, or to auto with the worker's iii-sdk version readable from its lockfile.`
    );
  }
  return (
    `the engine refused the registration of worker ${worker} (${rejection.code} in ${namespace}` +
    `${rejection.functionId ? `, function ${rejection.functionId}` : ''}). Nothing was written; fix the worker's namespace or ids and run again.`
  );
}
