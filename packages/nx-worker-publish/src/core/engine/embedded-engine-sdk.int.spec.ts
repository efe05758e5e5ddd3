import { startEmbeddedEngine, type RunningEngine } from './embedded-engine';
import type { EngineGeneration } from './generation';
import { RawClient, type Frame } from './test-support/raw-client';
import { SdkWorkerProcess, startRegisteredWorker, type SdkPackage } from './test-support/sdk-worker-process';

// Real iii-sdk workers (child node processes) against the embedded engine: iii-sdk 0.22.1 with the current
// generation (engine v0.22.1), iii-sdk 0.11.6 with the legacy one (engine v0.11.6), and 0.11.6 on current.

jest.setTimeout(60_000);

const ADD_REQUEST = { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] };
const ADD_RESPONSE = { type: 'object', properties: { sum: { type: 'number' } } };
const PROVIDER_FUNCTIONS = ['demo::add', 'demo::echo', 'demo::hang', 'demo::record'];

const cases: [EngineGeneration, SdkPackage, string][] = [
  ['0.13', 'iii-sdk', '0.22.1'],
  ['0.11', 'iii-sdk-0-11', '0.11.6'],
  ['0.13', 'iii-sdk-0-11', '0.11.6'],
];

describe.each(cases)('%s engine with real %s workers', (generation, sdk, sdkVersion) => {
  let engine: RunningEngine;
  let client: RawClient;
  const workers: SdkWorkerProcess[] = [];
  const start = async (role: 'provider' | 'consumer' | 'watcher' | 'plain', name: string) => {
    const started = await startRegisteredWorker(engine, { sdk, role, name });
    workers.push(started.worker);
    return started;
  };
  const functionIds = async () => (await client.result('engine::functions::list', {})).functions.map((f: Frame) => f.function_id);
  const triggerTypeIds = async () =>
    generation !== '0.11'
      ? (await client.result('engine::triggers::list', {})).triggers.map((t: Frame) => t.id)
      : (await client.result('engine::trigger-types::list', {})).trigger_types.map((t: Frame) => t.id);
  const bindings = async (): Promise<Frame[]> =>
    generation !== '0.11'
      ? (await client.result('engine::registered-triggers::list', {})).registered_triggers
      : (await client.result('engine::triggers::list', {})).triggers;

  let watcher: SdkWorkerProcess;
  let provider: SdkWorkerProcess;
  let providerId: string;
  let consumer: SdkWorkerProcess;
  let consumerId: string;

  beforeAll(async () => {
    engine = await startEmbeddedEngine({ generation });
    client = await RawClient.connect(engine.url);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await engine.stop();
  });

  test('a watcher bound to engine::workers-available is told of every worker lifecycle step', async () => {
    ({ worker: watcher } = await start('watcher', 'fixture-watcher'));
    const { worker: plain, workerId } = await start('plain', 'fixture-plain');
    expect(await watcher.waitFor('workers-available', (d) => d.worker_id === workerId && d.event === 'worker_connected')).toEqual({
      event: 'worker_connected',
      worker_id: workerId,
    });
    await watcher.waitFor('workers-available', (d) => d.worker_id === workerId && d.event === 'worker_metadata_updated');
    await plain.kill();
    await watcher.waitFor('workers-available', (d) => d.worker_id === workerId && d.event === 'worker_disconnected');
  });

  test('lists the provider’s functions, trigger types and worker row with exact fields', async () => {
    ({ worker: provider, workerId: providerId } = await start('provider', 'fixture-provider'));
    const { workers: rows } = await client.result('engine::workers::list', {});
    const row = rows.find((w: Frame) => w.id === providerId);
    const common = { id: providerId, name: 'fixture-provider', runtime: 'node', version: sdkVersion, os: expect.stringMatching(/\(.+\)$/), status: 'connected', ip_address: '127.0.0.1' };
    expect(row).toMatchObject(common);
    expect(rows.map((w: Frame) => w.name)).toEqual(expect.arrayContaining(['fixture-provider', 'fixture-watcher', 'iii-engine-functions', 'iii-observability', 'iii-telemetry', 'iii-worker-manager']));

    if (generation !== '0.11') {
      expect(Object.keys(row)).toEqual(['name', 'description', 'version', 'id', 'runtime', 'os', 'status', 'function_count', 'connected_at_ms', 'active_invocations', 'isolation', 'ip_address']);
      expect(row).toMatchObject({ function_count: 4, active_invocations: 0, isolation: null, description: sdk === 'iii-sdk' ? 'Fixture provider worker' : null });

      const info = await client.result('engine::workers::info', { name: 'fixture-provider' });
      expect(info.worker).toMatchObject({ ...common, pid: expect.any(Number), internal: false });
      expect(info.functions).toEqual([
        { function_id: 'demo::add', worker_name: 'fixture-provider', description: 'Add two numbers' },
        { function_id: 'demo::echo', worker_name: 'fixture-provider', description: 'Echo', metadata: { tags: ['demo'] } },
        { function_id: 'demo::hang', worker_name: 'fixture-provider' },
        { function_id: 'demo::record', worker_name: 'fixture-provider' },
      ]);
      expect(info.trigger_types).toEqual([{ id: 'demo::tick', worker_name: 'fixture-provider', description: 'Fires once per binding' }]);
      expect(info.registered_triggers).toEqual([]);

      const { functions } = await client.result('engine::functions::info', { function_ids: ['demo::add'] });
      expect(functions).toEqual([
        {
          function_id: 'demo::add',
          worker_name: 'fixture-provider',
          description: 'Add two numbers',
          request_schema: ADD_REQUEST,
          response_schema: ADD_RESPONSE,
          registered_triggers: [],
        },
      ]);
      expect(await client.result('engine::triggers::info', { id: 'demo::tick' })).toEqual({
        id: 'demo::tick',
        worker_name: 'fixture-provider',
        description: 'Fires once per binding',
        instance_count: 0,
      });
    } else {
      expect(row).toMatchObject({ function_count: 4, internal: false, latest_metrics: null, pid: expect.any(Number) });
      expect([...row.functions].sort()).toEqual(PROVIDER_FUNCTIONS);
      const { functions } = await client.result('engine::functions::list', { include_internal: true });
      expect(functions).toContainEqual({ function_id: 'demo::add', description: 'Add two numbers', request_format: ADD_REQUEST, response_format: ADD_RESPONSE, metadata: null });
      const { trigger_types } = await client.result('engine::trigger-types::list', {});
      expect(trigger_types.map((t: Frame) => t.id).sort()).toEqual(['demo::tick', 'log']);
      expect((await client.call('engine::workers::info', { name: 'fixture-provider' })).error.code).toBe('function_not_found');
    }
    expect(await functionIds()).toEqual(expect.arrayContaining(PROVIDER_FUNCTIONS));
  });

  test('a trigger bound to another worker’s type reaches that provider, whose handler runs', async () => {
    ({ worker: consumer, workerId: consumerId } = await start('consumer', 'fixture-consumer'));
    const binding = await provider.waitFor('register-trigger');
    expect(binding).toMatchObject({ function_id: 'consumer::on-tick', config: { every: '1s' } });
    // The provider's handler fires the bound function once, through the engine, into the consumer.
    expect(await consumer.waitFor('on-tick')).toMatchObject({ tick: 1, trigger_id: binding.id });
    expect(await bindings()).toContainEqual(expect.objectContaining({ id: binding.id, trigger_type: 'demo::tick', function_id: 'consumer::on-tick' }));
  });

  test('routes a request/response call between two workers; the callee sees _caller_worker_id', async () => {
    expect(await consumer.call('demo::add', { a: 2, b: 3 })).toEqual({ id: expect.any(Number), result: { sum: 5 } });
    expect((await consumer.call('demo::echo', { hello: 'world' })).result).toEqual({ hello: 'world', _caller_worker_id: consumerId });
    expect((await consumer.call('nope::missing', {})).error.code).toBe('function_not_found');
  });

  test('routes a void call between two workers', async () => {
    expect((await consumer.call('demo::record', { note: 'fire-and-forget' }, { void: true })).result).toBeNull();
    expect(await provider.waitFor('recorded')).toEqual({ note: 'fire-and-forget', _caller_worker_id: consumerId });
  });

  test('a worker killed mid-call stops the call and its registrations disappear', async () => {
    const pending = consumer.call('demo::hang', { wait: true });
    await provider.waitFor('hang-started');
    await provider.kill();
    expect((await pending).error).toEqual({ code: 'invocation_stopped', message: expect.stringContaining('Invocation stopped') });

    const ids = await functionIds();
    for (const id of PROVIDER_FUNCTIONS) expect(ids).not.toContain(id);
    expect(await triggerTypeIds()).not.toContain('demo::tick');
    const { workers: rows } = await client.result('engine::workers::list', {});
    expect(rows.map((w: Frame) => w.id)).not.toContain(providerId);
    // The consumer's binding waits for the type to return (current) or stays listed, orphaned (legacy).
    const consumerBindings = (await bindings()).filter((t) => t.function_id === 'consumer::on-tick');
    expect(consumerBindings).toHaveLength(generation !== '0.11' ? 0 : 1);
  });

  test('when the trigger type comes back, the consumer’s binding is delivered to the new provider', async () => {
    const { worker: second } = await start('provider', 'fixture-provider-2');
    expect(await second.waitFor('register-trigger')).toMatchObject({ function_id: 'consumer::on-tick' });
  });
});
