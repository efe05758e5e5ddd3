import type { CollectedFrom } from './collected-from';

/** What the registry learns about a worker: the functions and trigger types it registers (spec publish-pipeline §5). */
export interface InterfaceFunction {
  name: string;
  description: string;
  request_schema: Record<string, unknown>;
  response_schema: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface InterfaceTrigger {
  name: string;
  description: string;
  invocation_schema: Record<string, unknown>;
  return_schema: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface WorkerInterface {
  functions: InterfaceFunction[];
  triggers: InterfaceTrigger[];
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Sorts keys recursively so the same interface always serializes to the same bytes. */
function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * Byte-stable JSON: entries sorted by name (code-point order), keys sorted, 2-space indent, trailing newline. The
 * collector adds what ran (`collected_from`), which publish checks against the release it ships.
 */
export function serializeInterface(iface: WorkerInterface, origin?: CollectedFrom): string {
  const stable = {
    ...(origin ? { collected_from: sortKeysDeep(origin) } : {}),
    functions: [...iface.functions].sort(byName).map(sortKeysDeep),
    triggers: [...iface.triggers].sort(byName).map(sortKeysDeep),
  };
  return JSON.stringify(stable, null, 2) + '\n';
}
