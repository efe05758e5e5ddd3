import { decodeWorkerFrame, normalizeUuid } from './protocol';

describe('decodeWorkerFrame', () => {
  test('decodes the SDK’s captured frames, tolerating extra keys such as message_type', () => {
    expect(
      decodeWorkerFrame(
        '{"type":"registertrigger","function_id":"demo::add","config":{"api_path":"/add"},"id":"17b4","message_type":"registertrigger","trigger_type":"http"}',
      ),
    ).toEqual({ type: 'registertrigger', id: '17b4', trigger_type: 'http', function_id: 'demo::add', config: { api_path: '/add' }, metadata: undefined });
    expect(decodeWorkerFrame('{"type":"invokefunction","function_id":"x::y","data":{"k":1},"action":{"type":"void"}}')).toMatchObject({
      type: 'invokefunction',
      invocation_id: undefined,
      action: { type: 'void' },
    });
  });

  test('sorts the keys of relayed JSON values, as serde_json does without preserve_order', () => {
    const decoded = decodeWorkerFrame('{"type":"invokefunction","function_id":"f","data":{"b":1,"a":{"d":[{"z":1,"y":2}],"c":null}}}');
    expect(JSON.stringify(decoded && 'data' in decoded ? decoded.data : undefined)).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });

  test('re-serializes invocation ids the way the uuid crate does', () => {
    expect(decodeWorkerFrame('{"type":"invokefunction","invocation_id":"745FFB73B9A441964FDD4FD1BBDEB296","function_id":"f","data":null}')).toMatchObject({
      invocation_id: '745ffb73-b9a4-4196-4fdd-4fd1bbdeb296',
      data: null,
    });
    expect(normalizeUuid('nope')).toBeUndefined();
  });

  test.each([
    ['not json', 'nope'],
    ['blank', '  '],
    ['array', '[]'],
    ['unknown type', '{"type":"unregistertriggertype","id":"x","description":"y"}'],
    ['missing id', '{"type":"registerfunction"}'],
    ['missing data', '{"type":"invokefunction","function_id":"f"}'],
    ['bad invocation id', '{"type":"invokefunction","invocation_id":"1","function_id":"f","data":{}}'],
    ['missing config', '{"type":"registertrigger","id":"t","trigger_type":"x","function_id":"f"}'],
    ['error without message', '{"type":"invocationresult","invocation_id":"745ffb73-b9a4-4196-bdd4-4fd1bbdeb296","function_id":"f","error":{"code":"x"}}'],
    ['unknown action', '{"type":"invokefunction","function_id":"f","data":{},"action":{"type":"later"}}'],
  ])('drops a frame the engine cannot decode: %s', (_, text) => {
    expect(decodeWorkerFrame(text)).toBeUndefined();
  });
});
