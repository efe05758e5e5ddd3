import type { ChildProcess } from 'node:child_process';
import { EngineInvocationError, connectEngine, type EngineClient } from '../engine-client/engine-client';
import { startEmbeddedEngine, type EngineGeneration, type RunningEngine } from '../engine/embedded-engine';
import { InterfaceCollector } from './interface-collector';
import { RegistrationRejectedError } from './registration-rejection';
import { startRawWorker, stopChild, type RawWorkerSpec } from './test-support/raw-protocol-worker-process';

const SETTLE_MS = 300;
jest.setTimeout(60_000);

/** The row every function gets, whatever the SDK line: no observe descriptor, no args_format/private/observable. */
const row = (id: string, description: string) => ({
  name: id,
  description,
  request_schema: { properties: { n: { type: 'number' } }, type: 'object' },
  response_schema: { properties: { n: { type: 'number' } }, type: 'object' },
  metadata: {},
});

describe.each<EngineGeneration>(['0.26', '0.25', '0.23'])('a %s engine', (generation) => {
  let engine: RunningEngine;
  const clients: EngineClient[] = [];
  const children: ChildProcess[] = [];
  const stderr = new Map<ChildProcess, string>();

  beforeEach(async () => {
    engine = await startEmbeddedEngine({ generation });
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map(stopChild));
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await engine.stop();
  });

  const collector = async () => {
    const client = await connectEngine(engine.url);
    clients.push(client);
    const started = await InterfaceCollector.start(client);
    engine.onRegistrationRejected((r) => started.noteRejection(r));
    return started;
  };
  const worker = (spec: RawWorkerSpec) => {
    const child = startRawWorker(engine.url, spec);
    stderr.set(child, '');
    child.stderr?.on('data', (chunk) => stderr.set(child, stderr.get(child) + String(chunk)));
    children.push(child);
    return child;
  };

  const v026: RawWorkerSpec = { name: 'v026', sdkLine: '0.26', functionIds: ['v026::plain'], v2Functions: ['v026::on-tick'], observe: true };

  it('collects a 0.26 worker\'s withheld functions exactly when it advertises observe.v2, and only then', async () => {
    const started = await collector();
    worker(v026);
    const collected = await started.collect({ worker: 'v026', timeoutMs: 20_000, settleMs: SETTLE_MS });
    const plain = row('v026::plain', 'Function 0');
    if (generation === '0.26') {
      expect(collected.iface).toEqual({ functions: [row('v026::on-tick', 'Function v2'), plain], triggers: [] });
    } else {
      // What a real engine without observe.v2 sees: the reason a 0.26 SDK against it must fail (sdk-engine-check).
      expect(collected.iface).toEqual({ functions: [plain], triggers: [] });
    }
  });

  const v025: RawWorkerSpec = {
    name: 'v025',
    sdkLine: '0.25',
    functionIds: ['v025::plain'],
    observableFunctions: ['v025::on-event'],
    observe: true,
    pythonNulls: true,
    fragmented: { id: 'v025::large', bytes: 200_000 },
  };

  it('tolerates a 0.25 worker (observe descriptor and frames, JSON nulls, continuation frames) and keeps rows plain', async () => {
    const started = await collector();
    const child = worker(v025);
    const collected = await started.collect({ worker: 'v025', timeoutMs: 20_000, settleMs: SETTLE_MS });
    const large = { name: 'v025::large', description: 'x'.repeat(200_000), request_schema: {}, response_schema: {}, metadata: {} };
    expect(collected.iface).toEqual({ functions: [large, row('v025::on-event', 'Function observable'), row('v025::plain', 'Function 0')], triggers: [] });
    const acks = stderr.get(child)!;
    if (generation === '0.23') {
      expect(acks).toBe(''); // engines before 0.25 answer no registration and no observe
    } else {
      // Sent only to a connection that declared observe.v1, one per function, and `observe` answered `active`.
      for (const id of ['v025::plain', 'v025::on-event', 'v025::large']) expect(acks).toContain(`"type":"functionregistered","id":"${id}"`);
      expect(acks).toMatch(/observeresult .*"state":"active"/);
    }
  });

  it('collects trigger types from a 0.25 worker where the engine has them, and fails loudly where it does not (0.26)', async () => {
    worker({ name: 'ticker', sdkLine: '0.25', functionIds: ['ticker::run'], triggerTypes: ['ticker::tick'] });
    const outcome = await (await collector()).collect({ worker: 'ticker', timeoutMs: 20_000, settleMs: SETTLE_MS }).catch((e: Error) => e);
    if (generation === '0.26') {
      expect(outcome).toBeInstanceOf(RegistrationRejectedError);
      expect((outcome as Error).message).toMatch(/registered trigger type ticker::tick, but the engine generation 0\.26 has no trigger types.*engineGeneration to 0\.25/);
    } else {
      expect(outcome).toMatchObject({ iface: { triggers: [expect.objectContaining({ name: 'ticker::tick' })] } });
    }
  });

  it('answers engine::triggers::* as the generation has them; without them the collector polls (no registertrigger)', async () => {
    const client = await connectEngine(engine.url);
    clients.push(client);
    const listed = await client.invoke('engine::triggers::list', {}).catch((e) => e);
    const started = await InterfaceCollector.start(client);
    if (generation === '0.26') {
      expect(listed).toBeInstanceOf(EngineInvocationError);
      expect(listed).toMatchObject({ code: 'function_not_found' });
      expect(started.subscribedToEvents).toBe(false);
    } else {
      expect(listed).toHaveProperty('triggers');
      expect(started.subscribedToEvents).toBe(true);
    }
    worker({ name: 'polled', sdkLine: '0.25', functionIds: ['polled::a', 'polled::b'] });
    const collected = await started.collect({ worker: 'polled', timeoutMs: 20_000, settleMs: SETTLE_MS });
    expect(collected.iface.functions.map((f) => f.name)).toEqual(['polled::a', 'polled::b']);
  });
});
