import { randomUUID } from 'node:crypto';
import { EngineListenError, startEmbeddedEngine, type EngineEvent, type RunningEngine } from './embedded-engine';
import { RawClient, type Frame } from './test-support/raw-client';

// Protocol-level behaviour of the embedded engine, driven by bare `ws` clients (spec iii-protocol §1–§4, §9).

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ENGINE_WORKERS = ['iii-engine-functions', 'iii-observability', 'iii-telemetry', 'iii-worker-manager'];
const CURRENT_ONLY = ['engine::workers::info', 'engine::functions::info', 'engine::triggers::info', 'engine::registered-triggers::list'];

function nextEvent(engine: RunningEngine, match: (e: EngineEvent) => boolean): Promise<EngineEvent> {
  return new Promise((resolve) => {
    const unsubscribe = engine.subscribe((event) => {
      if (!match(event)) return;
      unsubscribe();
      resolve(event);
    });
  });
}

describe.each(['0.13', '0.11'] as const)('embedded engine protocol, %s generation', (generation) => {
  let engine: RunningEngine;
  const connect = (path = '/') => RawClient.connect(engine.url, path);

  beforeAll(async () => {
    engine = await startEmbeddedEngine({ generation });
  });
  afterAll(() => engine.stop());

  test('greets each connection with workerregistered (a reattach token from 0.13 on)', async () => {
    const client = await connect();
    expect(engine.url).toBe(`ws://127.0.0.1:${engine.port}`);
    expect(client.hello.worker_id).toMatch(UUID);
    if (generation === '0.13') {
      expect(client.hello).toEqual({ type: 'workerregistered', worker_id: client.workerId, reattach_token: expect.stringMatching(UUID) });
    } else {
      expect(client.hello).toEqual({ type: 'workerregistered', worker_id: client.workerId });
    }
  });

  test('answers ping with pong and ignores invalid frames without closing the socket', async () => {
    const client = await connect();
    client.send('not json');
    client.send('   ');
    client.send('[1,2,3]');
    client.send({ type: 'nonsense' });
    client.send({ type: 'pong' });
    client.send({ type: 'registerfunction' }); // missing id
    client.send({ type: 'registertrigger', id: 't', trigger_type: 'x', function_id: 'f' }); // missing config
    client.send({ type: 'invokefunction', invocation_id: 'not-a-uuid', function_id: 'engine::workers::list', data: {} });
    client.send({ type: 'invokefunction', invocation_id: randomUUID(), function_id: 'engine::workers::list' }); // missing data
    client.send(Buffer.from('OTLP{"resourceSpans":[]}'));
    client.send({ type: 'registerfunction', id: 'tolerant::fn', message_type: 'registerfunction', extra: true });
    await client.sync();
    expect(client.unread()).toEqual([]);
    const { functions } = await client.result('engine::functions::list', {});
    expect(functions.map((f: Frame) => f.function_id)).toContain('tolerant::fn');
  });

  test('accepts and discards /otel sockets, which never become workers; refuses unknown paths', async () => {
    const events: EngineEvent[] = [];
    const unsubscribe = engine.subscribe((e) => events.push(e));
    const otel = await connect('/otel');
    otel.send(Buffer.from('MTRC{}'));
    const worker = await connect();
    await worker.sync();
    unsubscribe();
    expect(events.filter((e) => e.type === 'worker-connected').map((e) => e.workerId)).toEqual([worker.workerId]);
    expect(otel.unread()).toEqual([]);
    expect(otel.socket.readyState).toBe(otel.socket.OPEN);
    await otel.close();
    await expect(connect('/nope')).rejects.toThrow(/404/);
  });

  test('answers an unknown function with function_not_found', async () => {
    const client = await connect();
    expect(await client.call('nope::missing', {})).toEqual({
      type: 'invocationresult',
      invocation_id: expect.stringMatching(UUID),
      function_id: 'nope::missing',
      error: { code: 'function_not_found', message: 'Function nope::missing not found' },
    });
  });

  test('routes a request/response call, injecting _caller_worker_id into object payloads', async () => {
    const callee = await connect();
    callee.send({ type: 'registerfunction', id: 'callee::echo' });
    await callee.sync();
    const caller = await connect();

    const pending = caller.call('callee::echo', { x: 1 });
    const invocation = await callee.next((f) => f.type === 'invokefunction');
    expect(invocation).toEqual({
      type: 'invokefunction',
      invocation_id: expect.stringMatching(UUID),
      function_id: 'callee::echo',
      data: { x: 1, _caller_worker_id: caller.workerId },
    });
    callee.send({ type: 'invocationresult', invocation_id: invocation.invocation_id, function_id: 'callee::echo', result: { echoed: invocation.data } });
    const answer = await pending;
    expect(answer.invocation_id).toBe(invocation.invocation_id); // the caller's id is reused toward the callee
    expect(answer.result).toEqual({ echoed: { x: 1, _caller_worker_id: caller.workerId } });

    const scalar = caller.call('callee::echo', 5);
    const second = await callee.next((f) => f.type === 'invokefunction');
    expect(second.data).toBe(5);
    callee.send({ type: 'invocationresult', invocation_id: second.invocation_id, function_id: 'callee::echo', error: { code: 'boom', message: 'bad input', extra: 1 } });
    expect((await scalar).error).toEqual({ code: 'boom', message: 'bad input' });
  });

  test('a void call runs the function with a fresh invocation id and never answers the caller', async () => {
    const callee = await connect();
    callee.send({ type: 'registerfunction', id: 'void::target' });
    await callee.sync();
    const caller = await connect();
    const callerInvocationId = randomUUID();
    caller.send({ type: 'invokefunction', invocation_id: callerInvocationId, function_id: 'void::target', data: { v: 1 }, action: { type: 'void' } });
    const invocation = await callee.next((f) => f.type === 'invokefunction');
    expect(invocation.invocation_id).toMatch(UUID);
    expect(invocation.invocation_id).not.toBe(callerInvocationId);
    expect(invocation).not.toHaveProperty('action');
    callee.send({ type: 'invocationresult', invocation_id: invocation.invocation_id, function_id: 'void::target', result: { ignored: true } });
    await callee.sync();
    caller.send({ type: 'invokefunction', invocation_id: randomUUID(), function_id: 'engine::workers::list', data: {}, action: { type: 'void' } });
    caller.send({ type: 'invokefunction', function_id: 'engine::workers::list', data: {} }); // no id: nothing to answer
    await caller.sync();
    expect(caller.unread()).toEqual([]);
  });

  test('a callee that disconnects mid-call stops the call and takes its functions with it', async () => {
    const callee = await connect();
    callee.send({ type: 'registerfunction', id: 'doomed::wait' });
    await callee.sync();
    const caller = await connect();
    const pending = caller.call('doomed::wait', {});
    await callee.next((f) => f.type === 'invokefunction');
    await callee.close();
    expect((await pending).error).toEqual({ code: 'invocation_stopped', message: 'Invocation stopped' });
    expect((await caller.call('doomed::wait')).error.code).toBe('function_not_found');
  });

  test('lists a worker only after engine::workers::register, with the generation’s exact fields', async () => {
    const worker = await connect();
    worker.send({ type: 'registerfunction', id: 'listed::fn', description: 'Listed' });
    const observer = await connect();
    const before = await observer.result('engine::workers::list', {});
    expect(before.workers.map((w: Frame) => w.id)).not.toContain(worker.workerId);

    const registered = nextEvent(engine, (e) => e.type === 'worker-registered' && e.workerId === worker.workerId);
    const rawName = '\u0007listed\u202E-worker ';
    worker.register({ runtime: 'node', version: '9.9.9', name: rawName, description: ' one\nline ', os: 'testos', pid: 4242, isolation: null, telemetry: {} });
    const event = await registered;
    const name = generation === '0.13' ? 'listed-worker' : rawName;
    expect(event).toEqual({ type: 'worker-registered', workerId: worker.workerId, name, pid: 4242, at: expect.any(Number), monotonicMs: expect.any(Number) });

    const listing = await observer.result('engine::workers::list', {});
    const row = listing.workers.find((w: Frame) => w.id === worker.workerId);
    const names = listing.workers.map((w: Frame) => w.name ?? w.id);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(ENGINE_WORKERS));
    const engineRow = listing.workers.find((w: Frame) => w.id === 'iii-engine-functions');
    if (generation === '0.13') {
      expect(listing).not.toHaveProperty('timestamp');
      expect(row).toEqual({
        name,
        description: 'oneline',
        version: '9.9.9',
        id: worker.workerId,
        runtime: 'node',
        os: 'testos',
        status: 'connected',
        function_count: 1,
        connected_at_ms: expect.any(Number),
        active_invocations: 0,
        isolation: null,
        ip_address: '127.0.0.1',
      });
      expect(engineRow).toEqual({
        name: 'iii-engine-functions',
        description: expect.any(String),
        version: '0.22.1',
        id: 'iii-engine-functions',
        runtime: 'engine',
        os: null,
        status: 'available',
        function_count: 9,
        connected_at_ms: expect.any(Number),
        active_invocations: 0,
        isolation: 'in-process',
        ip_address: null,
      });
    } else {
      expect(listing.timestamp).toEqual(expect.any(Number));
      expect(row).toEqual({
        id: worker.workerId,
        name,
        runtime: 'node',
        version: '9.9.9',
        os: 'testos',
        ip_address: '127.0.0.1',
        internal: false,
        status: 'connected',
        connected_at_ms: expect.any(Number),
        function_count: 1,
        functions: ['listed::fn'],
        active_invocations: 0,
        latest_metrics: null,
        pid: 4242,
      });
      expect(engineRow).toMatchObject({ runtime: 'engine', version: '0.11.6-next.1', internal: true, status: 'available', isolation: 'in-process' });
      expect(engineRow.functions).toEqual(expect.arrayContaining(['engine::trigger-types::list', 'engine::workers::list']));
    }
  });

  test('forwards trigger bindings to the provider of their type, and unbindings too', async () => {
    const provider = await connect();
    provider.send({ type: 'registertriggertype', id: 'raw::tick', description: 'Raw ticks' });
    await provider.sync();
    const origin = await connect();
    origin.send({ type: 'registerfunction', id: 'origin::handler' });
    origin.send({ type: 'registertrigger', id: 'bind-1', trigger_type: 'raw::tick', function_id: 'origin::handler', config: { n: 1 }, metadata: { m: true }, message_type: 'registertrigger' });
    expect(await provider.next((f) => f.type === 'registertrigger')).toEqual({
      type: 'registertrigger',
      id: 'bind-1',
      trigger_type: 'raw::tick',
      function_id: 'origin::handler',
      config: { n: 1 },
      metadata: { m: true },
    });

    if (generation === '0.13') {
      const { registered_triggers } = await origin.result('engine::registered-triggers::list', { trigger_type: 'raw::tick' });
      expect(registered_triggers).toEqual([
        { id: 'bind-1', trigger_type: 'raw::tick', function_id: 'origin::handler', worker_name: 'origin', config: { n: 1 }, config_summary: '{"n":1}' },
      ]);
    } else {
      const { triggers } = await origin.result('engine::triggers::list', {});
      expect(triggers).toContainEqual({ id: 'bind-1', trigger_type: 'raw::tick', function_id: 'origin::handler', config: { n: 1 }, metadata: { m: true } });
    }

    origin.send({ type: 'unregistertrigger', id: 'bind-1', trigger_type: 'raw::tick', message_type: 'unregistertrigger' });
    expect(await provider.next((f) => f.type === 'unregistertrigger')).toEqual({ type: 'unregistertrigger', id: 'bind-1', trigger_type: 'raw::tick' });
    await provider.close();
  });

  test('relays a provider’s registration error to the originator (current) or drops it (legacy)', async () => {
    const provider = await connect();
    provider.send({ type: 'registertriggertype', id: 'picky::tick', description: 'Picky' });
    await provider.sync();
    const origin = await connect();
    origin.send({ type: 'registertrigger', id: 'bind-2', trigger_type: 'picky::tick', function_id: 'origin::other', config: {} });
    await provider.next((f) => f.type === 'registertrigger');
    // A result from a connection that does not provide the type is ignored.
    origin.send({ type: 'triggerregistrationresult', id: 'bind-2', trigger_type: 'picky::tick', function_id: 'origin::other', error: { code: 'x', message: 'spoofed' } });
    await origin.sync();
    expect(origin.unread()).toEqual([]);
    provider.send({
      type: 'triggerregistrationresult',
      id: 'bind-2',
      trigger_type: 'picky::tick',
      function_id: 'origin::other',
      message_type: 'triggerregistrationresult',
      error: { code: 'trigger_registration_failed', message: 'bad config' },
    });
    await provider.sync();
    if (generation === '0.13') {
      expect(await origin.next((f) => f.type === 'triggerregistrationresult')).toEqual({
        type: 'triggerregistrationresult',
        id: 'bind-2',
        trigger_type: 'picky::tick',
        function_id: 'origin::other',
        error: { code: 'trigger_registration_failed', message: 'bad config' },
      });
      const { registered_triggers } = await origin.result('engine::registered-triggers::list', { include_internal: true });
      expect(registered_triggers.map((t: Frame) => t.id)).not.toContain('bind-2'); // parked
    } else {
      await origin.sync();
      expect(origin.unread()).toEqual([]);
    }
    await provider.close();
  });

  test('a binding for a type nobody provides yet is parked and delivered when the type registers (current only)', async () => {
    const origin = await connect();
    origin.send({ type: 'registertrigger', id: 'late-1', trigger_type: 'late::tick', function_id: 'origin::late', config: { k: 'v' } });
    await origin.sync();
    const provider = await connect();
    provider.send({ type: 'registertriggertype', id: 'late::tick', description: 'Late' });
    if (generation === '0.13') {
      expect(await provider.next((f) => f.type === 'registertrigger')).toEqual({
        type: 'registertrigger',
        id: 'late-1',
        trigger_type: 'late::tick',
        function_id: 'origin::late',
        config: { k: 'v' },
      });
    } else {
      await provider.sync();
      expect(provider.unread()).toEqual([]); // v0.11.6 logs "Trigger type not found" and forgets it
    }
    await provider.close();
  });

  test('a disconnected worker’s functions, trigger types and triggers disappear', async () => {
    const worker = await connect();
    worker.send({ type: 'registertriggertype', id: 'gone::tick', description: 'Gone' });
    worker.send({ type: 'registerfunction', id: 'gone::fn' });
    worker.send({ type: 'registertrigger', id: 'gone-bind', trigger_type: 'gone::tick', function_id: 'gone::fn', config: {} });
    await worker.sync();
    const observer = await connect();
    const typesOf = async () =>
      generation === '0.13'
        ? (await observer.result('engine::triggers::list', {})).triggers.map((t: Frame) => t.id)
        : (await observer.result('engine::trigger-types::list', {})).trigger_types.map((t: Frame) => t.id);
    const bindings = async () =>
      generation === '0.13'
        ? (await observer.result('engine::registered-triggers::list', {})).registered_triggers.map((t: Frame) => t.id)
        : (await observer.result('engine::triggers::list', {})).triggers.map((t: Frame) => t.id);
    const functionIds = async () => (await observer.result('engine::functions::list', {})).functions.map((f: Frame) => f.function_id);
    expect(await typesOf()).toContain('gone::tick');
    expect(await bindings()).toContain('gone-bind');
    expect(await functionIds()).toContain('gone::fn');

    await worker.close();
    expect(await typesOf()).not.toContain('gone::tick');
    expect(await bindings()).not.toContain('gone-bind');
    expect(await functionIds()).not.toContain('gone::fn');
  });

  test('invokes engine::workers-available bindings when workers connect, register and disconnect', async () => {
    const watcher = await connect();
    watcher.send({ type: 'registerfunction', id: 'watch::on' });
    watcher.send({ type: 'registertrigger', id: randomUUID(), trigger_type: 'engine::workers-available', function_id: 'watch::on', config: {} });
    await watcher.sync();
    const other = await connect();
    const eventFor = (event: string) => (f: Frame) => f.type === 'invokefunction' && f.data?.worker_id === other.workerId && f.data.event === event;

    expect(await watcher.next(eventFor('worker_connected'))).toEqual({
      type: 'invokefunction',
      invocation_id: expect.stringMatching(UUID),
      function_id: 'watch::on',
      data: { event: 'worker_connected', worker_id: other.workerId },
    });
    other.register({ runtime: 'node', name: 'evented', pid: 1 });
    expect((await watcher.next(eventFor('worker_metadata_updated'))).data).toEqual({ event: 'worker_metadata_updated', worker_id: other.workerId });
    await other.close();
    expect((await watcher.next(eventFor('worker_disconnected'))).data).toEqual({ event: 'worker_disconnected', worker_id: other.workerId });
  });

  test('lists trigger types and functions with the generation’s internal rules', async () => {
    const client = await connect();
    client.send({ type: 'registerfunction', id: 'rules::hidden', metadata: { internal: true } });
    client.send({ type: 'registerfunction', id: 'engine::queue::custom' });
    client.send({ type: 'registerfunction', id: 'rules::shaped', request_format: { type: 'object' } });
    await client.sync();
    const visible = (await client.result('engine::functions::list', {})).functions;
    const all = (await client.result('engine::functions::list', { include_internal: true })).functions;
    const ids = (rows: Frame[]) => rows.map((f) => f.function_id);
    expect(ids(all)).toEqual(expect.arrayContaining(['rules::hidden', 'engine::queue::custom', 'engine::workers::list']));
    expect(ids(visible)).not.toContain('engine::workers::list');

    if (generation === '0.13') {
      expect(ids(visible)).not.toContain('rules::hidden'); // metadata.internal
      expect(ids(visible)).toContain('engine::queue::custom'); // the queue API is public
      expect(ids(visible)).toEqual([...ids(visible)].sort());
      expect(visible.find((f: Frame) => f.function_id === 'rules::shaped')).toEqual({ function_id: 'rules::shaped', worker_name: 'rules' });
      const types = (await client.result('engine::triggers::list', {})).triggers;
      expect(types).toEqual(
        expect.arrayContaining([
          { id: 'log', worker_name: 'iii-observability', description: 'Log event trigger' },
          { id: 'trace', worker_name: 'iii-observability', description: 'Trace/span event trigger' },
        ]),
      );
      expect(types.map((t: Frame) => t.id)).not.toContain('engine::workers-available');
      const internal = (await client.result('engine::triggers::list', { include_internal: true })).triggers;
      expect(internal).toContainEqual({ id: 'engine::workers-available', worker_name: 'engine', description: 'Triggered when workers connect/disconnect' });
      expect((await client.call('engine::trigger-types::list', {})).error.code).toBe('function_not_found');
    } else {
      expect(ids(visible)).toContain('rules::hidden');
      expect(ids(visible)).not.toContain('engine::queue::custom');
      expect(visible.find((f: Frame) => f.function_id === 'rules::shaped')).toEqual({
        function_id: 'rules::shaped',
        description: null,
        request_format: { type: 'object' },
        response_format: null,
        metadata: null,
      });
      const types = (await client.result('engine::trigger-types::list', {})).trigger_types;
      expect(types.map((t: Frame) => t.id)).toEqual(['log']);
      expect(types[0]).toEqual({ id: 'log', description: 'Log event trigger', trigger_request_format: expect.any(Object), call_request_format: expect.any(Object) });
      const internal = (await client.result('engine::trigger-types::list', { include_internal: true })).trigger_types;
      expect(internal.map((t: Frame) => t.id)).toEqual(expect.arrayContaining(['engine::workers-available', 'engine::functions-available']));
      for (const id of CURRENT_ONLY) {
        expect(await client.call(id, { name: 'x', id: 'x', function_id: 'x' })).toMatchObject({ error: { code: 'function_not_found', message: `Function ${id} not found` } });
      }
    }
  });
});

describe('embedded engine, 0.13-generation builtin errors', () => {
  let engine: RunningEngine;
  let client: RawClient;
  beforeAll(async () => {
    engine = await startEmbeddedEngine({ generation: 'current' }); // the old name still works
    client = await RawClient.connect(engine.url);
  });
  afterAll(() => engine.stop());

  test('workers::info of an unknown worker is NOT_FOUND; a missing name is a deserialization_error', async () => {
    expect((await client.call('engine::workers::info', { name: 'nobody' })).error).toEqual({ code: 'NOT_FOUND', message: "Worker 'nobody' is not connected." });
    expect((await client.call('engine::workers::info', {})).error).toEqual({
      code: 'deserialization_error',
      message: 'Failed to deserialize input for engine::workers::info: missing field `name`',
    });
    expect((await client.call('engine::workers::list', 'nope')).error.code).toBe('deserialization_error');
  });

  test('functions::info answers single ids and batches of at most 32', async () => {
    expect((await client.call('engine::functions::info', { function_id: 'no::such' })).error).toEqual({ code: 'NOT_FOUND', message: "Function 'no::such' is not registered." });
    expect((await client.call('engine::functions::info', {})).error.code).toBe('INVALID_ARGUMENTS');
    expect((await client.call('engine::functions::info', { function_id: 'a', function_ids: ['a'] })).error.code).toBe('INVALID_ARGUMENTS');
    const tooMany = Array.from({ length: 33 }, (_, i) => `f::${i}`);
    expect((await client.call('engine::functions::info', { function_ids: tooMany })).error).toEqual({ code: 'INVALID_ARGUMENTS', message: 'too many function_ids (max 32)' });
    const batch = await client.result('engine::functions::info', { function_ids: ['engine::workers::list', 'no::such', 'engine::workers::list'] });
    expect(batch.functions).toEqual([
      { function_id: 'engine::workers::list', worker_name: 'iii-engine-functions', description: 'List workers connected to the engine.', registered_triggers: [] },
      { function_id: 'no::such', error: 'not_found' },
    ]);
  });

  test('workers::info describes an in-process worker and triggers::info a builtin type', async () => {
    const info = await client.result('engine::workers::info', { name: 'iii-observability' });
    expect(info.worker).toMatchObject({ name: 'iii-observability', id: 'iii-observability', runtime: 'engine', internal: true, status: 'available' });
    expect(info.trigger_types).toEqual([
      { id: 'log', worker_name: 'iii-observability', description: 'Log event trigger' },
      { id: 'trace', worker_name: 'iii-observability', description: 'Trace/span event trigger' },
    ]);
    const log = await client.result('engine::triggers::info', { id: 'log' });
    expect(log).toEqual({
      id: 'log',
      worker_name: 'iii-observability',
      description: 'Log event trigger',
      configuration_schema: expect.objectContaining({ title: 'LogTriggerConfig' }),
      request_schema: expect.objectContaining({ title: 'LogCallRequest' }),
      instance_count: 0,
    });
    expect((await client.call('engine::triggers::info', { id: 'nope' })).error).toEqual({ code: 'NOT_FOUND', message: "Trigger type 'nope' is not registered." });
  });

  test('an enqueue action without a queue worker is an enqueue_error', async () => {
    const invocationId = randomUUID();
    client.send({ type: 'invokefunction', invocation_id: invocationId, function_id: 'any::fn', data: {}, action: { type: 'enqueue', queue: 'jobs' } });
    const answer = await client.next((f) => f.invocation_id === invocationId);
    expect(answer.error).toEqual({ code: 'enqueue_error', message: expect.stringContaining('No queue provider is installed') });
  });

  test('reattach with the right token retires the previous connection; a wrong token is ignored', async () => {
    const first = await RawClient.connect(engine.url);
    first.send({ type: 'registerfunction', id: 'again::fn' });
    await first.sync();
    const second = await RawClient.connect(engine.url);
    second.send({ type: 'reattach', previous_worker_id: first.workerId, reattach_token: randomUUID() });
    await second.sync();
    await first.sync(); // still alive
    second.send({ type: 'reattach', previous_worker_id: first.workerId, reattach_token: first.hello.reattach_token });
    await first.closed;
    expect((await second.call('again::fn')).error.code).toBe('function_not_found');
  });
});

describe('embedded engine lifecycle', () => {
  test('a busy port is a clear error naming host:port', async () => {
    const first = await startEmbeddedEngine();
    try {
      const second = startEmbeddedEngine({ port: first.port });
      await expect(second).rejects.toBeInstanceOf(EngineListenError);
      await expect(second).rejects.toThrow(`127.0.0.1:${first.port} is already in use`);
    } finally {
      await first.stop();
    }
  });

  test('stop() closes every socket and the listener, and may be called twice', async () => {
    const engine = await startEmbeddedEngine({ generation: '0.11' });
    const worker = await RawClient.connect(engine.url);
    const otel = await RawClient.connect(engine.url, '/otel');
    await engine.stop();
    await engine.stop();
    expect(await worker.closed).toBe(1001);
    expect(await otel.closed).toBe(1001);
    await expect(RawClient.connect(engine.url)).rejects.toThrow(/ECONNREFUSED/);
  });
});
