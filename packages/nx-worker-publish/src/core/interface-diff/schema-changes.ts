import { isTypedSchema } from '../payload/typed-schemas';

/**
 * What changed in one JSON schema, judged from the side of whoever relies on it. A request (or a trigger's
 * invocation) schema is what callers send: it breaks them when it accepts less. A response (or return) schema is
 * what callers receive: it breaks them when it promises less.
 */
export type SchemaDirection = 'request' | 'response';

export type SchemaChangeKind =
  | 'property-added'
  | 'property-removed'
  | 'required-added'
  | 'required-removed'
  | 'type-narrowed'
  | 'type-widened'
  | 'type-changed'
  | 'enum-narrowed'
  | 'enum-widened'
  | 'enum-changed'
  /** Typed on one side only (`{}` / AnyValue on the other): nothing to compare against. */
  | 'schema-typed'
  | 'schema-untyped'
  /** A keyword this comparison does not judge (anyOf, pattern, minimum, …) differs. */
  | 'other';

export interface SchemaChange {
  kind: SchemaChangeKind;
  /** Where in the schema: `title`, `todos[].id`; empty for the schema's root. */
  path: string;
  from?: string;
  to?: string;
  breaking: boolean;
}

type Schema = Record<string, unknown>;

/** Keywords that describe a schema without changing what it accepts. */
const ANNOTATIONS = new Set(['description', 'title', 'examples', 'example', '$comment', '$schema', '$id', 'default', 'deprecated', 'readOnly', 'writeOnly']);

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

export function diffSchema(before: unknown, after: unknown, direction: SchemaDirection): SchemaChange[] {
  // Untyped as the publish gate counts it (`{}`, AnyValue): such a schema promises nothing to compare with.
  const untypedBefore = !isTypedSchema(before);
  const untypedAfter = !isTypedSchema(after);
  if (untypedBefore && untypedAfter) return [];
  // A schema gaining or losing its types says nothing about callers: the old one promised nothing to compare.
  if (untypedBefore) return [{ kind: 'schema-typed', path: '', breaking: false }];
  if (untypedAfter) return [{ kind: 'schema-untyped', path: '', breaking: false }];
  const walker = new SchemaWalker(before as Schema, after as Schema, direction);
  walker.walk(before as Schema, after as Schema, '', []);
  if (walker.changes.length === 0 && canonical(stripAnnotations(before)) !== canonical(stripAnnotations(after))) {
    walker.changes.push({ kind: 'other', path: '', breaking: false });
  }
  return walker.changes;
}

class SchemaWalker {
  readonly changes: SchemaChange[] = [];

  constructor(
    private readonly rootBefore: Schema,
    private readonly rootAfter: Schema,
    private readonly direction: SchemaDirection,
  ) {}

  /** `refs` holds the `$ref`s already followed on this path, so a recursive schema ends. */
  walk(rawBefore: Schema, rawAfter: Schema, path: string, refs: string[]): void {
    const before = resolveRef(rawBefore, this.rootBefore);
    const after = resolveRef(rawAfter, this.rootAfter);
    const seen = [rawBefore.$ref, rawAfter.$ref].filter((ref): ref is string => typeof ref === 'string');
    if (seen.some((ref) => refs.includes(ref))) return;
    const nextRefs = [...refs, ...seen];

    this.compareTypes(before, after, path);
    this.compareEnums(before, after, path);
    this.compareProperties(before, after, path, nextRefs);
    if (isSchema(before.items) && isSchema(after.items)) this.walk(before.items, after.items, `${path}[]`, nextRefs);
  }

  private add(kind: SchemaChangeKind, path: string, breaking: boolean, from?: string, to?: string): void {
    this.changes.push({ kind, path, breaking, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
  }

  private compareTypes(before: Schema, after: Schema, path: string): void {
    const from = typeSet(before.type);
    const to = typeSet(after.type);
    if (!from && !to) return;
    const relation = compareAccepted(from, to);
    if (relation === 'same') return;
    const shown = (types: string[] | undefined) => (types ? types.join(' | ') : 'any');
    // Accepting less breaks who sends; producing more breaks who receives.
    const breaking = relation === 'changed' || (this.direction === 'request' ? relation === 'narrowed' : relation === 'widened');
    this.add(`type-${relation}`, path, breaking, shown(from), shown(to));
  }

  private compareEnums(before: Schema, after: Schema, path: string): void {
    const from = Array.isArray(before.enum) ? before.enum.map(canonical) : undefined;
    const to = Array.isArray(after.enum) ? after.enum.map(canonical) : undefined;
    if (!from && !to) return;
    // No enum accepts every value of the type.
    const lost = from ? (to ? from.filter((value) => !to.includes(value)) : []) : ['(any)'];
    const gained = to ? (from ? to.filter((value) => !from.includes(value)) : []) : ['(any)'];
    if (lost.length === 0 && gained.length === 0) return;
    const relation = lost.length > 0 && gained.length > 0 ? 'changed' : lost.length > 0 ? 'narrowed' : 'widened';
    const breaking = relation === 'changed' || (this.direction === 'request' ? relation === 'narrowed' : relation === 'widened');
    this.add(`enum-${relation}`, path, breaking, from ? from.join(', ') : 'any', to ? to.join(', ') : 'any');
  }

  private compareProperties(before: Schema, after: Schema, path: string, refs: string[]): void {
    const fromProps = isSchema(before.properties) ? before.properties : {};
    const toProps = isSchema(after.properties) ? after.properties : {};
    const fromRequired = requiredOf(before);
    const toRequired = requiredOf(after);
    const at = (name: string) => (path ? `${path}.${name}` : name);
    const request = this.direction === 'request';

    for (const name of Object.keys(fromProps).sort()) {
      if (name in toProps) {
        const [a, b] = [fromProps[name], toProps[name]];
        if (isSchema(a) && isSchema(b)) this.walk(a, b, at(name), refs);
      } else {
        // Callers may still send a dropped input (it is ignored); a dropped output is missing for whoever reads it.
        this.add('property-removed', at(name), !request);
      }
    }
    for (const name of Object.keys(toProps).sort()) {
      // A new input only breaks callers when they must send it: that is the `required-added` entry below.
      if (!(name in fromProps)) this.add('property-added', at(name), false);
    }
    for (const name of toRequired.filter((entry) => !fromRequired.includes(entry))) this.add('required-added', at(name), request);
    // An output that is no longer always present breaks whoever reads it unguarded.
    for (const name of fromRequired.filter((entry) => !toRequired.includes(entry))) {
      if (name in toProps || !(name in fromProps)) this.add('required-removed', at(name), !request);
    }
  }
}

function requiredOf(schema: Schema): string[] {
  return Array.isArray(schema.required) ? [...new Set(schema.required.filter((entry): entry is string => typeof entry === 'string'))].sort() : [];
}

/** Follows a local `$ref` (`#/$defs/X`, `#/definitions/X`, as schemars writes them); other refs stay as they are. */
function resolveRef(schema: Schema, root: Schema): Schema {
  let current = schema;
  for (let hops = 0; hops < 32 && typeof current.$ref === 'string' && current.$ref.startsWith('#'); hops++) {
    let target: unknown = root;
    for (const part of current.$ref.slice(1).split('/').filter(Boolean)) {
      target = isSchema(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    }
    if (!isSchema(target)) return current;
    const { $ref: _ref, ...siblings } = current;
    current = { ...target, ...siblings };
  }
  return current;
}

function typeSet(type: unknown): string[] | undefined {
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return [...new Set(type.filter((entry): entry is string => typeof entry === 'string'))].sort();
  return undefined;
}

/** Whether the values `a` accepts include those `b` accepts (`undefined` accepts anything; integer ⊂ number). */
function covers(a: string[] | undefined, b: string[] | undefined): boolean {
  if (!a) return true;
  if (!b) return false;
  return b.every((type) => a.includes(type) || (type === 'integer' && a.includes('number')));
}

function compareAccepted(from: string[] | undefined, to: string[] | undefined): 'same' | 'narrowed' | 'widened' | 'changed' {
  const toCoversFrom = covers(to, from);
  const fromCoversTo = covers(from, to);
  if (toCoversFrom && fromCoversTo) return 'same';
  if (fromCoversTo) return 'narrowed';
  if (toCoversFrom) return 'widened';
  return 'changed';
}

/** Keywords whose value maps names to schemas: the names are data, not keywords. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is data (never a schema). */
const DATA_KEYWORDS = new Set(['enum', 'const', 'required']);

function stripAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripAnnotations);
  if (!isSchema(value)) return value;
  const kept = Object.entries(value).filter(([key]) => !ANNOTATIONS.has(key));
  return Object.fromEntries(
    kept.map(([key, entry]) => {
      if (DATA_KEYWORDS.has(key)) return [key, entry];
      if (SCHEMA_MAPS.has(key) && isSchema(entry)) return [key, Object.fromEntries(Object.entries(entry).map(([name, schema]) => [name, stripAnnotations(schema)]))];
      return [key, stripAnnotations(entry)];
    }),
  );
}

/** Key-order independent JSON, so `{a, b}` and `{b, a}` are the same schema. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isSchema(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
