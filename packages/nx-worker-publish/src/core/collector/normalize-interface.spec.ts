import { serializeInterface } from '../interface/worker-interface';
import { buildWorkerInterface, deriveFunctionName, InterfaceError, normalizeFunction, type InterfaceSource } from './normalize-interface';

const source = (overrides: Partial<InterfaceSource>): InterfaceSource => ({
  workerLabel: 'skills',
  functionIds: [],
  functionDetails: new Map(),
  triggerTypes: [],
  baselineTriggerTypeIds: new Set(),
  ...overrides,
});

describe('deriveFunctionName', () => {
  it('prefers metadata.registry_name over metadata.name', () => {
    expect(deriveFunctionName('image_resize::resize', { registry_name: 'resize-image', name: 'resize' })).toBe('resize-image');
  });
  it('falls back to metadata.name, trimmed', () => {
    expect(deriveFunctionName('image_resize::resize', { name: '  resize ' })).toBe('resize');
  });
  it('ignores blank names and uses the full function id', () => {
    expect(deriveFunctionName('image_resize::resize', { registry_name: '  ', name: '' })).toBe('image_resize::resize');
    expect(deriveFunctionName('image_resize::resize', null)).toBe('image_resize::resize');
  });
  it('keeps skills::list and prompts::list distinct (the 422 of skills v0.1.2)', () => {
    expect(deriveFunctionName('skills::list', undefined)).not.toBe(deriveFunctionName('prompts::list', undefined));
  });
});

describe('normalizeFunction', () => {
  it('turns null schemas, description and metadata into {} and ""', () => {
    expect(normalizeFunction({ function_id: 'a::b', description: null, request_schema: null, response_schema: undefined, metadata: null })).toEqual({
      name: 'a::b',
      description: '',
      request_schema: {},
      response_schema: {},
      metadata: {},
    });
  });
  it('keeps object schemas and metadata as registered', () => {
    const schema = { type: 'object', properties: { a: { type: 'number' } } };
    expect(normalizeFunction({ function_id: 'a::b', description: 'Add', request_schema: schema, response_schema: schema, metadata: { tags: ['x'] } })).toEqual({
      name: 'a::b',
      description: 'Add',
      request_schema: schema,
      response_schema: schema,
      metadata: { tags: ['x'] },
    });
  });
  it.each([[true], ['string'], [[1, 2]], [3]])('rejects a non-object schema %j, naming the function', (schema) => {
    expect(() => normalizeFunction({ function_id: 'a::b', request_schema: schema })).toThrow(InterfaceError);
    expect(() => normalizeFunction({ function_id: 'a::b', request_schema: schema })).toThrow(/function a::b: request schema must be a JSON object/);
  });
});

describe('buildWorkerInterface', () => {
  const details = new Map([
    ['skills::list', { function_id: 'skills::list', description: 'List skills' }],
    ['prompts::list', { function_id: 'prompts::list', description: 'List prompts' }],
  ]);

  it('fails when a listed function has no details instead of publishing blanks', () => {
    expect(() => buildWorkerInterface(source({ functionIds: ['skills::list', 'skills::get'], functionDetails: details }))).toThrow(
      /no details for: skills::get/,
    );
  });

  it('takes only the worker’s functions, sorted by name in the serialized file', () => {
    const iface = buildWorkerInterface(source({ functionIds: ['skills::list', 'prompts::list'], functionDetails: details }));
    expect(iface.functions.map((f) => f.name)).toEqual(['skills::list', 'prompts::list']);
    expect(JSON.parse(serializeInterface(iface)).functions.map((f: { name: string }) => f.name)).toEqual(['prompts::list', 'skills::list']);
  });

  it('rejects two functions that publish under one name', () => {
    const clash = new Map([
      ['a::x', { function_id: 'a::x', metadata: { registry_name: 'same' } }],
      ['a::y', { function_id: 'a::y', metadata: { name: 'same' } }],
    ]);
    expect(() => buildWorkerInterface(source({ functionIds: ['a::x', 'a::y'], functionDetails: clash }))).toThrow(/a::x and a::y .* "same"/);
  });

  it('drops engine-internal and pre-existing trigger types and maps the schemas', () => {
    const iface = buildWorkerInterface(
      source({
        triggerTypes: [
          { id: 'engine::workers-available', description: 'internal' },
          { id: 'log', description: 'Log event trigger' },
          { id: 'skills::on-change', description: null, invocation_schema: { type: 'object' }, return_schema: null },
        ],
        baselineTriggerTypeIds: new Set(['log']),
      }),
    );
    expect(iface.triggers).toEqual([
      { name: 'skills::on-change', description: '', invocation_schema: { type: 'object' }, return_schema: {}, metadata: {} },
    ]);
  });
});

describe('serializeInterface', () => {
  it('is byte-stable: code-point order, sorted keys, 2-space indent, trailing newline', () => {
    const fn = (name: string, schema: Record<string, unknown>) => ({ name, description: '', request_schema: schema, response_schema: {}, metadata: {} });
    const a = serializeInterface({ functions: [fn('b::x', { z: 1, a: 2 }), fn('B::x', {}), fn('a::x', {})], triggers: [] });
    const b = serializeInterface({ functions: [fn('a::x', {}), fn('b::x', { a: 2, z: 1 }), fn('B::x', {})], triggers: [] });
    expect(a).toBe(b);
    expect(a.endsWith('}\n')).toBe(true);
    expect(JSON.parse(a).functions.map((f: { name: string }) => f.name)).toEqual(['B::x', 'a::x', 'b::x']);
    expect(a).toContain('\n  "functions": [\n    {\n      "description"');
  });
});
