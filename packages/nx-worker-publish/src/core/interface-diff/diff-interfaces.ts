import { plainText } from './plain-text';
import { diffSchema, type SchemaChange, type SchemaDirection } from './schema-changes';

/** The schemas of a function or trigger type, and whose side each one is on. */
const FUNCTION_SCHEMAS: Record<string, SchemaDirection> = { request_schema: 'request', response_schema: 'response' };
const TRIGGER_SCHEMAS: Record<string, SchemaDirection> = { invocation_schema: 'request', return_schema: 'response' };

export interface SchemaFieldChanges {
  /** `request_schema`, `response_schema`, `invocation_schema` or `return_schema`. */
  schema: string;
  changes: SchemaChange[];
}

export interface ChangedEntry {
  name: string;
  schemas: SchemaFieldChanges[];
}

export interface EntryChanges {
  added: string[];
  removed: string[];
  changed: ChangedEntry[];
}

export interface InterfaceDiff {
  functions: EntryChanges;
  triggers: EntryChanges;
}

/** Any interface-shaped value: a collected interface, a publish payload, or a registry readback. */
export interface InterfaceLike {
  functions?: unknown;
  triggers?: unknown;
}

type Entry = Record<string, unknown>;

/** What `next` changes compared with `reference`: entries added and removed, and each changed schema in detail. */
export function diffInterfaces(reference: InterfaceLike, next: InterfaceLike): InterfaceDiff {
  return {
    functions: diffEntries(entriesOf(reference.functions), entriesOf(next.functions), FUNCTION_SCHEMAS),
    triggers: diffEntries(entriesOf(reference.triggers), entriesOf(next.triggers), TRIGGER_SCHEMAS),
  };
}

/** One line per breaking change, e.g. `removed function todo::complete`, `todo::create request_schema: required title added`. */
export function breakingChanges(diff: InterfaceDiff): string[] {
  const lines: string[] = [];
  for (const [kind, changes] of [['function', diff.functions], ['trigger type', diff.triggers]] as const) {
    for (const name of changes.removed) lines.push(`removed ${kind} ${plainText(name)}`);
    for (const entry of changes.changed) {
      for (const field of entry.schemas) {
        for (const change of field.changes) if (change.breaking) lines.push(`${plainText(entry.name)} ${field.schema}: ${describeSchemaChange(change)}`);
      }
    }
  }
  return lines;
}

export function isEmptyDiff(diff: InterfaceDiff): boolean {
  return [diff.functions, diff.triggers].every((changes) => changes.added.length + changes.removed.length + changes.changed.length === 0);
}

/** `required title added`, `type of todos[].id narrowed: string | integer → string`. */
export function describeSchemaChange(change: SchemaChange): string {
  const at = plainText(change.path || '(root)');
  const fromTo = change.from !== undefined || change.to !== undefined ? `: ${plainText(change.from ?? 'none')} → ${plainText(change.to ?? 'none')}` : '';
  switch (change.kind) {
    case 'property-added':
      return `property ${at} added`;
    case 'property-removed':
      return `property ${at} removed`;
    case 'required-added':
      return `required ${at} added`;
    case 'required-removed':
      return `required ${at} removed`;
    case 'type-narrowed':
    case 'type-widened':
    case 'type-changed':
      return `type of ${at} ${change.kind.slice('type-'.length)}${fromTo}`;
    case 'enum-narrowed':
    case 'enum-widened':
    case 'enum-changed':
      return `allowed values of ${at} ${change.kind.slice('enum-'.length)}${fromTo}`;
    case 'schema-typed':
      return 'schema typed (was untyped)';
    case 'schema-untyped':
      return 'schema untyped (was typed)';
    default:
      return `other constraints of ${at} changed`;
  }
}

const entriesOf = (value: unknown): Entry[] => (Array.isArray(value) ? (value.filter((entry) => entry && typeof entry === 'object') as Entry[]) : []);

function diffEntries(before: Entry[], after: Entry[], schemas: Record<string, SchemaDirection>): EntryChanges {
  const byName = (entries: Entry[]) => new Map(entries.map((entry) => [String(entry.name), entry]));
  const [old, now] = [byName(before), byName(after)];
  const sorted = (names: Iterable<string>) => [...names].sort();
  const changed: ChangedEntry[] = [];
  for (const name of sorted(old.keys())) {
    const next = now.get(name);
    if (!next) continue;
    const fields = Object.entries(schemas)
      .map(([schema, direction]) => ({ schema, changes: diffSchema(old.get(name)?.[schema], next[schema], direction) }))
      .filter((field) => field.changes.length > 0);
    if (fields.length > 0) changed.push({ name, schemas: fields });
  }
  return {
    added: sorted([...now.keys()].filter((name) => !old.has(name))),
    removed: sorted([...old.keys()].filter((name) => !now.has(name))),
    changed,
  };
}
