import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startEmbeddedEngine, type EngineGeneration, type RunningEngine } from '../engine/embedded-engine';
import { connectEngine, type EngineClient } from '../engine-client/engine-client';
import { WorkerGoneError } from './engine-introspection';
import { InterfaceCollector, WorkerWaitError } from './interface-collector';
import { startRawWorker, stopChild, type RawWorkerSpec } from './test-support/raw-protocol-worker-process';

const SDK_FIXTURE = join(__dirname, 'test-support', 'fixture-worker.js');
/** Long enough to span the pauses the test workers make; the window itself is not the point here. */
const SETTLE_MS = 250;
const GENERATIONS: EngineGeneration[] = ['0.23', '0.13', '0.11'];

jest.setTimeout(60_000);

describe.each(GENERATIONS)('registration settling on a %s engine', (generation) => {
  let engine: RunningEngine;
  const clients: EngineClient[] = [];
  const children: ChildProcess[] = [];

  const newCollector = async () => {
    const client = await connectEngine(engine.url);
    clients.push(client);
    return InterfaceCollector.start(client);
  };
  const rawWorker = (spec: RawWorkerSpec, options: { namespace?: string } = {}) => {
    const child = startRawWorker(engine.url, spec, options);
    children.push(child);
    return child;
  };
  const sdkWorker = (spec: Record<string, unknown>) => {
    const env: NodeJS.ProcessEnv = { ...process.env, III_URL: engine.url, FIXTURE_WORKER: JSON.stringify({ sdk: 'iii-sdk', ...spec }) };
    delete env.III_WORKER_NAME;
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [SDK_FIXTURE], { env, stdio: ['pipe', 'ignore', 'inherit'] });
    children.push(child);
    return child;
  };

  beforeEach(async () => {
    engine = await startEmbeddedEngine({ generation });
  });

  afterEach(async () => {
    await Promise.all(children.splice(0).map(stopChild));
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await engine.stop();
  });

  it('collects all 200 functions of a worker that declares itself before registering (iii-sdk 0.23 order), 20 of 20 times', async () => {
    // Four collections at a time, each with its own connection and worker name, keep the 20 runs quick.
    const collectOnce = async (run: number) => {
      const collector = await newCollector();
      // Pauses spread the registrations over ~50 ms: the worker is visible long before its last function.
      const child = rawWorker({ name: `many-${run}`, functionCount: 200, delayMs: 5, pauseEvery: 20 });
      // Its own pid keeps a collection from taking a sibling as "the only new worker" before its own one appears.
      const ownsPid = (pid: number) => pid === child.pid;
      const collected = await collector.collect({ worker: `many-${run}`, timeoutMs: 20_000, settleMs: SETTLE_MS, ownsPid });
      expect(collected.rule).toBe('name');
      await stopChild(child);
      expect(collected.iface.functions.every((f) => f.request_schema.type === 'object')).toBe(true);
      return collected.iface.functions.length;
    };
    const counts: number[] = [];
    for (let run = 0; run < 20; run += 4) counts.push(...(await Promise.all([0, 1, 2, 3].map((i) => collectOnce(run + i)))));
    expect(counts).toEqual(Array(20).fill(200));
  });

  it('collects a function registered behind 30,000 engine::log::info calls, 3 of 3 times', async () => {
    // The calls queue up on the worker's connection; the engine reads them for longer than the window: quiet on what
    // the engine has processed so far is not the end of the registration.
    for (let run = 0; run < 3; run++) {
      const collector = await newCollector();
      const name = `flood-${run}`;
      const child = rawWorker({ name, functionIds: [`${name}::a`, `${name}::b`], logFlood: { afterFunctions: 1, calls: 30_000 } });
      const collected = await collector.collect({ worker: name, timeoutMs: 90_000, settleMs: SETTLE_MS, caughtUp: engine.caughtUp });
      expect(collected.iface.functions.map((f) => f.name)).toEqual([`${name}::a`, `${name}::b`]);
      await stopChild(child);
    }
  }, 240_000);

  it('fails, with no interface, when the engine cannot confirm it has read everything the worker sent', async () => {
    const collector = await newCollector();
    rawWorker({ name: 'deaf', functionCount: 3, noPong: true });
    const error = await collector.collect({ worker: 'deaf', timeoutMs: 3000, settleMs: SETTLE_MS, caughtUp: engine.caughtUp }).catch((e) => e);
    expect(error).toBeInstanceOf(WorkerWaitError);
    expect(error.message).toMatch(/worker deaf may still have been registering when waitSeconds \(3 s\) ran out: the engine could not confirm it had read everything/);
  });

  it('collects the same worker in namespace "orders"', async () => {
    const collector = await newCollector();
    rawWorker({ name: 'orders-worker', functionCount: 40, triggerTypes: ['orders-worker::placed'], delayMs: 5, pauseEvery: 10 }, { namespace: 'orders' });
    const collected = await collector.collect({ worker: 'orders-worker', timeoutMs: 20_000, settleMs: SETTLE_MS });
    expect(collected.iface.functions).toHaveLength(40);
    expect(collected.iface.triggers.map((t) => t.name)).toEqual(['orders-worker::placed']);
  });

  it('fails, with no interface, when the worker exits in the middle of registering', async () => {
    const collector = await newCollector();
    rawWorker({ name: 'crashy', functionCount: 100, exitAfterFunctions: 40, delayMs: 10 });
    const error = await collector.collect({ worker: 'crashy', timeoutMs: 5000, settleMs: 1000 }).catch((e) => e);
    expect(error).toBeInstanceOf(WorkerGoneError);
    expect(error.message).toMatch(/worker crashy \(id [^)]+\) disconnected from the engine while it was registering/);
  });

  it('fails when a function disappears while the registration settles', async () => {
    const collector = await newCollector();
    rawWorker({ name: 'fickle', functionCount: 3, unregister: { id: 'fickle::fn-001', afterMs: 150 } });
    const error = await collector.collect({ worker: 'fickle', timeoutMs: 10_000, settleMs: 1500 }).catch((e) => e);
    expect(error).toBeInstanceOf(WorkerWaitError);
    expect(error.message).toMatch(/worker fickle unregistered fickle::fn-001 while it was still registering/);
  });

  it('fails when the registration never settles before waitSeconds runs out', async () => {
    const collector = await newCollector();
    // Robust on a loaded machine: the wait starts once the worker is connected (starting node alone can take longer
    // than a short wait there), and the worker registers a function every 20 ms for far longer than the wait, so it is
    // still registering whenever the wait ends; a pause as long as the settle window would take a stalled machine.
    const connected = new Promise<void>((resolve) => {
      const unsubscribe = engine.subscribe((event) => {
        if (event.type !== 'worker-connected') return;
        unsubscribe();
        resolve();
      });
    });
    rawWorker({ name: 'busy', functionCount: 100_000, delayMs: 20 });
    await connected;
    const error = await collector.collect({ worker: 'busy', timeoutMs: 3000, settleMs: 1500 }).catch((e) => e);
    expect(error).toBeInstanceOf(WorkerWaitError);
    expect(error.message).toMatch(/worker busy was still registering when waitSeconds \(3 s\) ran out/);
  });

  it('collects a function an iii-sdk 0.22.1 worker registers 1.5 s after its first one', async () => {
    const collector = await newCollector();
    sdkWorker({ name: 'late', functions: [{ id: 'late::first' }], lateFunctions: [{ id: 'late::second', afterMs: 1500 }] });
    const collected = await collector.collect({ worker: 'late', timeoutMs: 20_000, settleMs: 2000 });
    expect(collected.iface.functions.map((f) => f.name)).toEqual(['late::first', 'late::second']);
  });

  it('with settleSeconds 0 reads at the first registration seen, as before settling existed (unsafe)', async () => {
    const collector = await newCollector();
    sdkWorker({ name: 'late', functions: [{ id: 'late::first' }], lateFunctions: [{ id: 'late::second', afterMs: 1500 }] });
    const collected = await collector.collect({ worker: 'late', timeoutMs: 20_000, settleMs: 0 });
    expect(collected.iface.functions.map((f) => f.name)).toEqual(['late::first']);
  });

  it('fails a raw worker that registers nothing, and collects one that only provides trigger types', async () => {
    const collector = await newCollector();
    rawWorker({ name: 'nothing' });
    const error = await collector.collect({ worker: 'nothing', timeoutMs: 10_000, settleMs: SETTLE_MS, noFunctionsGraceMs: 300 }).catch((e) => e);
    expect(error.message).toMatch(/worker nothing connected to the engine .* but registered neither functions nor trigger types/);

    const second = await newCollector();
    rawWorker({ name: 'bridge', triggerTypes: ['bridge::message'] });
    const collected = await second.collect({ worker: 'bridge', timeoutMs: 10_000, settleMs: SETTLE_MS });
    expect(collected.iface.functions).toEqual([]);
    expect(collected.iface.triggers.map((t) => t.name)).toEqual(['bridge::message']);
  });
});

describe('a big worker', () => {
  it('has all its 50,000 functions collected within the default waitSeconds (120 s), settling and reading included', async () => {
    const engine = await startEmbeddedEngine({ generation: '0.23' });
    const client = await connectEngine(engine.url);
    const child = startRawWorker(engine.url, { name: 'big', functionCount: 50_000 });
    try {
      const collector = await InterfaceCollector.start(client);
      const collected = await collector.collect({ worker: 'big', timeoutMs: 120_000, caughtUp: engine.caughtUp });
      expect(collected.iface.functions).toHaveLength(50_000);
      expect(collected.iface.functions.every((f) => f.request_schema.type === 'object')).toBe(true);
    } finally {
      await stopChild(child);
      await client.close();
      await engine.stop();
    }
  }, 300_000);
});
