import { EngineCore } from 'nx-worker-publish/dist/core/engine/engine-core';

/**
 * When the embedded engine (hosted by this process) last applied a change to any worker's functions or trigger
 * types, observed independently of the collector: the engine calls `functionsMayHaveChanged` for every such change
 * (a registered, unregistered or re-registered function, a trigger type, a namespace resolved). The bench wraps it
 * once; if the engine renames it, the bench fails loudly instead of measuring nothing.
 */
/** Change times (performance.now()); the bench clears it between runs by asking only for a window. */
const changes: number[] = [];
let watching = false;

export function watchRegistrationChanges(): void {
  if (watching) return;
  const proto = EngineCore.prototype as unknown as Record<string, unknown>;
  const original = proto.functionsMayHaveChanged;
  if (typeof original !== 'function') {
    throw new Error('bench: EngineCore.functionsMayHaveChanged is gone; update tools/bench/src/lib/registration-changes.ts');
  }
  proto.functionsMayHaveChanged = function (this: unknown, ...args: unknown[]) {
    changes.push(performance.now());
    if (changes.length > 10_000) changes.splice(0, changes.length - 1000);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  watching = true;
}

/**
 * The last change in [since, until] (performance.now()). `until` is when the interface was written: the worker's
 * disconnect afterwards (the task stopping it) is a change too, but not one the interface could have waited for.
 */
export function lastRegistrationChangeAt(since: number, until: number): number {
  const inWindow = changes.filter((at) => at >= since && at <= until);
  if (inWindow.length === 0) throw new Error('bench: the engine applied no registration change during this run');
  return inWindow[inWindow.length - 1];
}
