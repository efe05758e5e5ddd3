import type { WorkerInterface } from '../interface/worker-interface';

/** A schema is typed when it says something about its value (spec publish-pipeline-later §4.6): `{}` and AnyValue do not. */
const SCHEMA_DEFINING_KEYS = ['type', 'properties', '$ref', 'allOf', 'anyOf', 'oneOf', 'enum', 'items', 'const'];

export function isTypedSchema(schema: unknown): boolean {
  return !!schema && typeof schema === 'object' && !Array.isArray(schema) && SCHEMA_DEFINING_KEYS.some((key) => key in schema);
}

export interface UntypedSchemas {
  /** `<function>.<request_schema|response_schema>`, in interface order. */
  functions: string[];
  /** Trigger names whose `invocation_schema` is untyped (these only ever warn). */
  triggers: string[];
}

export function findUntypedSchemas(iface: WorkerInterface): UntypedSchemas {
  const functions: string[] = [];
  for (const fn of iface.functions) {
    for (const field of ['request_schema', 'response_schema'] as const) {
      if (!isTypedSchema(fn[field])) functions.push(`${fn.name}.${field}`);
    }
  }
  const triggers = iface.triggers.filter((trigger) => !isTypedSchema(trigger.invocation_schema)).map((trigger) => trigger.name);
  return { functions, triggers };
}
