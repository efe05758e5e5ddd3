import type { WorkerInterface } from '../interface/worker-interface';
import { InterfaceError } from './normalize-interface';

/**
 * A worker that registered neither functions nor trigger types has no interface: publishing it would blank the
 * registry entry. A triggers-only worker (iii-http, iii-bridge) is valid and publishes `functions: []`.
 */
export function assertNonEmptyInterface(iface: WorkerInterface, worker: string): void {
  if (iface.functions.length > 0 || iface.triggers.length > 0) return;
  throw new InterfaceError(
    `worker ${worker} registered neither functions nor trigger types of its own, so there is no interface to publish and ` +
      `nothing was written. Check that the worker calls registerFunction or registerTriggerType when it starts.`,
  );
}
