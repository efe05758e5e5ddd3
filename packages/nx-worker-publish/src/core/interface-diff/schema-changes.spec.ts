import { diffSchema, type SchemaChange } from './schema-changes';

const object = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, required });
const str = { type: 'string' };
const summary = (changes: SchemaChange[]) => changes.map((change) => `${change.kind} ${change.path}${change.breaking ? ' BREAKING' : ''}`);

describe('diffSchema: request schemas (what callers send)', () => {
  test('a new required property breaks callers; a new optional one does not', () => {
    expect(summary(diffSchema(object({ a: str }, ['a']), object({ a: str, b: str, c: str }, ['a', 'b']), 'request'))).toEqual([
      'property-added b',
      'property-added c',
      'required-added b BREAKING',
    ]);
  });

  test('an existing property becoming required breaks callers', () => {
    expect(summary(diffSchema(object({ a: str }), object({ a: str }, ['a']), 'request'))).toEqual(['required-added a BREAKING']);
  });

  test('a removed property or a removed required entry is compatible (callers may keep sending it)', () => {
    expect(summary(diffSchema(object({ a: str, b: str }, ['a', 'b']), object({ a: str }), 'request'))).toEqual(['property-removed b', 'required-removed a']);
  });

  test('a narrowed type breaks callers, a widened one does not', () => {
    expect(diffSchema(object({ n: { type: 'number' } }), object({ n: { type: 'integer' } }), 'request')).toEqual([
      { kind: 'type-narrowed', path: 'n', from: 'number', to: 'integer', breaking: true },
    ]);
    expect(diffSchema(object({ n: { type: 'string' } }), object({ n: { type: ['null', 'string'] } }), 'request')).toEqual([
      { kind: 'type-widened', path: 'n', from: 'string', to: 'null | string', breaking: false },
    ]);
  });

  test('an enum losing values breaks callers', () => {
    expect(summary(diffSchema(object({ mode: { type: 'string', enum: ['a', 'b'] } }), object({ mode: { type: 'string', enum: ['a'] } }), 'request'))).toEqual([
      'enum-narrowed mode BREAKING',
    ]);
  });
});

describe('diffSchema: response schemas (what callers receive)', () => {
  test('a removed property breaks callers; an added one does not', () => {
    expect(summary(diffSchema(object({ id: str, title: str }), object({ id: str, done: { type: 'boolean' } }), 'response'))).toEqual([
      'property-removed title BREAKING',
      'property-added done',
    ]);
  });

  test('a property no longer required (may be absent) breaks callers; a newly required one does not', () => {
    expect(summary(diffSchema(object({ a: str, b: str }, ['a']), object({ a: str, b: str }, ['b']), 'response'))).toEqual([
      'required-added b',
      'required-removed a BREAKING',
    ]);
  });

  test('a widened type breaks callers, a narrowed one does not, an unrelated one always does', () => {
    expect(summary(diffSchema(object({ n: { type: 'integer' } }), object({ n: { type: 'number' } }), 'response'))).toEqual(['type-widened n BREAKING']);
    expect(summary(diffSchema(object({ n: { type: 'number' } }), object({ n: { type: 'integer' } }), 'response'))).toEqual(['type-narrowed n']);
    expect(summary(diffSchema(object({ n: { type: 'number' } }), object({ n: { type: 'string' } }), 'response'))).toEqual(['type-changed n BREAKING']);
    expect(summary(diffSchema(object({ n: { type: 'number' } }), object({ n: { type: 'string' } }), 'request'))).toEqual(['type-changed n BREAKING']);
  });
});

describe('diffSchema: structure', () => {
  test('nested objects and array items are compared with their path', () => {
    const before = object({ todos: { type: 'array', items: object({ id: str, tags: object({ main: str }) }) } });
    const after = object({ todos: { type: 'array', items: object({ id: { type: 'integer' }, tags: object({}) }) } });
    expect(summary(diffSchema(before, after, 'response'))).toEqual(['type-changed todos[].id BREAKING', 'property-removed todos[].tags.main BREAKING']);
  });

  test('local $refs (schemars $defs and definitions) are followed, recursive ones end', () => {
    const tree = (valueType: string) => ({
      $ref: '#/$defs/Node',
      $defs: { Node: { type: 'object', properties: { value: { type: valueType }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } } } },
    });
    expect(summary(diffSchema(tree('string'), tree('integer'), 'response'))).toEqual(['type-changed value BREAKING']);
    const legacy = (props: Record<string, unknown>) => ({ type: 'object', properties: { user: { $ref: '#/definitions/User' } }, definitions: { User: object(props) } });
    expect(summary(diffSchema(legacy({ name: str, email: str }), legacy({ name: str }), 'response'))).toEqual(['property-removed user.email BREAKING']);
  });

  test('annotations and key order are not changes; property names that look like annotations are', () => {
    expect(diffSchema({ type: 'object', description: 'old', properties: { a: str } }, { properties: { a: { ...str, title: 'A' } }, type: 'object' }, 'response')).toEqual([]);
    expect(summary(diffSchema(object({ description: str, title: str }), object({ description: str }), 'response'))).toEqual(['property-removed title BREAKING']);
  });

  test('an untyped schema on either side is reported, never judged breaking', () => {
    expect(diffSchema({}, object({ a: str }, ['a']), 'request')).toEqual([{ kind: 'schema-typed', path: '', breaking: false }]);
    expect(diffSchema(object({ a: str }), { description: 'anything' }, 'response')).toEqual([{ kind: 'schema-untyped', path: '', breaking: false }]);
    expect(diffSchema(undefined, {}, 'request')).toEqual([]);
  });

  test('a difference in keywords it does not judge is listed as other, not breaking', () => {
    expect(diffSchema({ type: 'string', pattern: '^a' }, { type: 'string', pattern: '^b' }, 'request')).toEqual([{ kind: 'other', path: '', breaking: false }]);
  });
});
