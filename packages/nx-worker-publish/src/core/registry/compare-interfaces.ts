import type { WorkerInterface } from '../interface/worker-interface';
import { canonical } from './compare-version';

export interface InterfaceChanges {
  /** Functions the current version has and the new one lacks. */
  removedFunctions: string[];
  /** Trigger types the current version has and the new one lacks. */
  removedTriggers: string[];
  /** `<name>.<field>` of schemas that differ between the two. */
  changedSchemas: string[];
}

type Entry = { name?: unknown } & Record<string, unknown>;

const FUNCTION_SCHEMAS = ['request_schema', 'response_schema'];
const TRIGGER_SCHEMAS = ['invocation_schema', 'return_schema'];

/**
 * The new interface against the one the channel points at today. A missing function is either a breaking change
 * or a truncated collection: both must be seen before anything is written.
 */
export function compareInterfaces(current: { functions?: unknown; triggers?: unknown }, next: WorkerInterface): InterfaceChanges {
  const functions = diff(asEntries(current.functions), next.functions as unknown as Entry[], FUNCTION_SCHEMAS);
  const triggers = diff(asEntries(current.triggers), next.triggers as unknown as Entry[], TRIGGER_SCHEMAS);
  return { removedFunctions: functions.removed, removedTriggers: triggers.removed, changedSchemas: [...functions.changed, ...triggers.changed] };
}

const asEntries = (value: unknown): Entry[] => (Array.isArray(value) ? (value.filter((e) => e && typeof e === 'object') as Entry[]) : []);

function diff(before: Entry[], after: Entry[], schemaFields: string[]): { removed: string[]; changed: string[] } {
  const afterByName = new Map(after.map((entry) => [String(entry.name), entry]));
  const removed: string[] = [];
  const changed: string[] = [];
  for (const entry of before) {
    const name = String(entry.name);
    const now = afterByName.get(name);
    if (!now) {
      removed.push(name);
      continue;
    }
    for (const field of schemaFields) if (canonical(entry[field] ?? {}) !== canonical(now[field] ?? {})) changed.push(`${name}.${field}`);
  }
  return { removed, changed };
}
