import { findUntypedSchemas, isTypedSchema } from './typed-schemas';

describe('isTypedSchema', () => {
  it.each([
    { type: 'object' },
    { properties: {} },
    { $ref: '#/definitions/X' },
    { allOf: [] },
    { anyOf: [] },
    { oneOf: [] },
    { enum: ['a'] },
    { items: {} },
    { const: 1 },
  ])('%p is typed', (schema) => expect(isTypedSchema(schema)).toBe(true));

  it.each([[{}], [{ title: 'AnyValue' }], [{ description: 'anything' }], [null], [[]], ['string']])('%p is untyped', (schema) =>
    expect(isTypedSchema(schema)).toBe(false),
  );
});

describe('findUntypedSchemas', () => {
  it('lists every untyped function schema as <function>.<field>, and untyped trigger invocation schemas apart', () => {
    const fn = (name: string, request_schema: Record<string, unknown>, response_schema: Record<string, unknown>) => ({
      name, description: '', request_schema, response_schema, metadata: {},
    });
    const found = findUntypedSchemas({
      functions: [fn('a::typed', { type: 'object' }, { type: 'string' }), fn('b::any', {}, { title: 'AnyValue' }), fn('c::half', { type: 'object' }, {})],
      triggers: [
        { name: 't::typed', description: '', invocation_schema: { type: 'object' }, return_schema: {}, metadata: {} },
        { name: 't::untyped', description: '', invocation_schema: {}, return_schema: {}, metadata: {} },
      ],
    });
    expect(found).toEqual({ functions: ['b::any.request_schema', 'b::any.response_schema', 'c::half.response_schema'], triggers: ['t::untyped'] });
  });
});
