import type { InterfaceFunction, InterfaceTrigger, WorkerInterface } from '../interface/worker-interface';
import type { EngineFunction, EngineTriggerType } from './engine-records';

/** The engine's answer cannot be turned into a registry interface. */
export class InterfaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterfaceError';
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nonBlank = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/**
 * Registry name of a function: `metadata.registry_name`, then `metadata.name`, else the full function id. The full id
 * (not its last segment) keeps `skills::list` and `prompts::list` distinct (the registry's 422 of skills v0.1.2).
 */
export function deriveFunctionName(functionId: string, metadata: unknown): string {
  const meta = isPlainObject(metadata) ? metadata : {};
  return nonBlank(meta.registry_name) ?? nonBlank(meta.name) ?? functionId;
}

function schemaField(owner: string, field: string, value: unknown): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (isPlainObject(value)) return value;
  throw new InterfaceError(
    `${owner}: ${field} must be a JSON object (a JSON Schema) or absent, but the worker registered ${JSON.stringify(value)}. ` +
      `Register an object schema such as {"type":"object"} or leave it out.`,
  );
}

export function normalizeFunction(fn: EngineFunction): InterfaceFunction {
  const owner = `function ${fn.function_id}`;
  return {
    name: deriveFunctionName(fn.function_id, fn.metadata),
    description: typeof fn.description === 'string' ? fn.description : '',
    request_schema: schemaField(owner, 'request schema', fn.request_schema),
    response_schema: schemaField(owner, 'response schema', fn.response_schema),
    metadata: isPlainObject(fn.metadata) ? fn.metadata : {},
  };
}

export function normalizeTrigger(type: EngineTriggerType): InterfaceTrigger {
  const owner = `trigger type ${type.id}`;
  return {
    name: type.id,
    description: typeof type.description === 'string' ? type.description : '',
    invocation_schema: schemaField(owner, 'invocation schema', type.invocation_schema),
    return_schema: schemaField(owner, 'return schema', type.return_schema),
    metadata: {},
  };
}

/** Trigger types the engine provides itself (`engine::workers-available`, …) are never a worker's. */
export const isEngineInternalId = (id: string) => id.startsWith('engine::');

export interface InterfaceSource {
  workerLabel: string;
  functionIds: string[];
  /** Details keyed by function id; every id in `functionIds` must have one. */
  functionDetails: Map<string, EngineFunction>;
  triggerTypes: EngineTriggerType[];
  /** Trigger type ids present before the worker started: not the worker's (the `log` leak fixed by #77). */
  baselineTriggerTypeIds: ReadonlySet<string>;
}

export function buildWorkerInterface(source: InterfaceSource): WorkerInterface {
  const missing = source.functionIds.filter((id) => !source.functionDetails.has(id));
  if (missing.length > 0) {
    throw new InterfaceError(
      `the engine listed functions of worker ${source.workerLabel} but returned no details for: ${missing.join(', ')}. ` +
        `Nothing was written rather than publishing blanks; run again, and if it persists the engine's introspection is broken.`,
    );
  }
  const ids = source.functionIds.filter((id) => !isEngineInternalId(id));
  const functions = ids.map((id) => normalizeFunction(source.functionDetails.get(id)!));
  const firstIdByName = new Map<string, string>();
  functions.forEach(({ name }, index) => {
    const previous = firstIdByName.get(name);
    if (previous !== undefined) {
      throw new InterfaceError(
        `functions ${previous} and ${ids[index]} of worker ${source.workerLabel} both publish under the name "${name}"; the registry ` +
          `rejects duplicate names. Give one of them a distinct metadata.registry_name.`,
      );
    }
    firstIdByName.set(name, ids[index]);
  });
  const triggers = source.triggerTypes
    .filter((type) => typeof type.id === 'string' && !isEngineInternalId(type.id) && !source.baselineTriggerTypeIds.has(type.id))
    .map(normalizeTrigger);
  return { functions, triggers };
}
