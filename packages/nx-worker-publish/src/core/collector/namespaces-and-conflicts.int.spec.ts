import type { ChildProcess } from 'node:child_process';
import { startEmbeddedEngine, type EngineGeneration, type RunningEngine } from '../engine/embedded-engine';
import { connectEngine, type EngineClient } from '../engine-client/engine-client';
import { InterfaceCollector, WorkerWaitError } from './interface-collector';
import { RegistrationRejectedError } from './registration-rejection';
import { startRawWorker, stopChild, type RawWorkerSpec } from './test-support/raw-protocol-worker-process';

const SETTLE_MS = 150;
jest.setTimeout(30_000);

type Row = Record<string, any>;

function harness(generation: EngineGeneration) {
  const h = {
    engine: undefined as unknown as RunningEngine,
    clients: [] as EngineClient[],
    children: [] as ChildProcess[],
    async connect() {
      const client = await connectEngine(h.engine.url);
      h.clients.push(client);
      return client;
    },
    /** A collector that hears the engine's rejections in-process, as the embedded engine's collection does. */
    async collector(options: { hearRejections?: boolean } = {}) {
      const collector = await InterfaceCollector.start(await h.connect());
      if (options.hearRejections !== false) h.engine.onRegistrationRejected((r) => collector.noteRejection(r));
      return collector;
    },
    worker(spec: RawWorkerSpec, options: { namespace?: string } = {}) {
      const child = startRawWorker(h.engine.url, spec, options);
      h.children.push(child);
      return child;
    },
    /** Waits until the engine lists a worker with this name (and namespace), and returns its row. */
    async listed(name: string, namespace?: string): Promise<Row> {
      const client = await h.connect();
      for (let i = 0; i < 400; i++) {
        const { workers } = await client.invoke<{ workers: Row[] }>('engine::workers::list', {});
        const row = workers.find((w) => w.name === name && (namespace === undefined || w.namespace === namespace) && w.function_count > 0);
        if (row) return row;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`worker ${name} never listed`);
    },
  };
  beforeEach(async () => {
    h.engine = await startEmbeddedEngine({ generation });
  });
  afterEach(async () => {
    await Promise.all(h.children.splice(0).map(stopChild));
    await Promise.all(h.clients.splice(0).map((c) => c.close()));
    await h.engine.stop();
  });
  return h;
}

describe('collector on a 0.23 engine: namespaces and registration conflicts', () => {
  const h = harness('0.23');

  it('collects a namespaced worker whose name and function ids also exist in the default namespace', async () => {
    h.worker({ name: 'skills', functionCount: 3, description: 'Old' });
    await h.listed('skills', 'default');
    const collector = await h.collector();
    h.worker({ name: 'skills', functionCount: 3, description: 'New', triggerTypes: ['skills::changed'] }, { namespace: 'orders' });
    const collected = await collector.collect({ worker: 'skills', timeoutMs: 10_000, settleMs: SETTLE_MS });
    expect(collected.worker.namespace).toBe('orders');
    // Without the namespace, functions::info answers with the default copy and triggers::info finds no type at all.
    expect(collected.iface.functions.map((f) => f.description)).toEqual(['New 0', 'New 1', 'New 2']);
    expect(collected.iface.triggers.map((t) => t.name)).toEqual(['skills::changed']);
  });

  it('fails naming the owner when another live worker already holds the worker name (WORKER_NAMESPACE_CONFLICT)', async () => {
    h.worker({ name: 'skills', functionCount: 1 });
    const owner = await h.listed('skills');
    const collector = await h.collector();
    h.worker({ name: 'skills', functionCount: 3 });
    const error = await collector.collect({ worker: 'skills', timeoutMs: 10_000, settleMs: SETTLE_MS }).catch((e) => e);
    expect(error).toBeInstanceOf(RegistrationRejectedError);
    expect(error.message).toContain(
      `the engine refused worker skills: worker "skills" (id ${owner.id}) already holds the name "skills" in namespace "default" (WORKER_NAMESPACE_CONFLICT)`,
    );
  });

  it('without the in-process report (url and external engines), says the name is taken instead of a bare timeout', async () => {
    h.worker({ name: 'skills', functionCount: 1 });
    const owner = await h.listed('skills');
    const collector = await h.collector({ hearRejections: false });
    h.worker({ name: 'skills', functionCount: 3 });
    const error = await collector.collect({ worker: 'skills', timeoutMs: 1500, settleMs: SETTLE_MS }).catch((e) => e);
    expect(error).toBeInstanceOf(WorkerWaitError);
    expect(error.message).toContain(`a worker named "skills" (id ${owner.id}, namespace "default") was already connected before the collection started`);
    expect(error.message).toContain('WORKER_NAMESPACE_CONFLICT');
  });

  it('fails naming the function and its owner when another live worker holds one of its ids (FUNCTION_NAMESPACE_CONFLICT)', async () => {
    h.worker({ name: 'other', functionIds: ['skills::fn-001'] });
    const owner = await h.listed('other');
    const collector = await h.collector();
    h.worker({ name: 'skills', functionCount: 3 });
    const error = await collector.collect({ worker: 'skills', timeoutMs: 10_000, settleMs: SETTLE_MS }).catch((e) => e);
    expect(error).toBeInstanceOf(RegistrationRejectedError);
    expect(error.message).toContain(
      `the engine refused function skills::fn-001 of worker skills: worker "other" (id ${owner.id}) already owns that id in namespace "default" (FUNCTION_NAMESPACE_CONFLICT)`,
    );
  });

  it("gets its own subscription at once: the collector's connection declares itself, so 0.23 does not buffer it", async () => {
    const client = await h.connect();
    await InterfaceCollector.start(client);
    const observer = await h.connect();
    const { registered_triggers } = await observer.invoke<{ registered_triggers: Row[] }>('engine::registered-triggers::list', { include_internal: true });
    const mine = registered_triggers.filter((t) => String(t.function_id).startsWith('iii-interface-collector::wake::'));
    expect(mine.map((t) => t.trigger_type).sort()).toEqual(['engine::functions-available', 'engine::workers-available']);
    // …and it never lists itself as a worker that could be collected.
    const { workers } = await observer.invoke<{ workers: Row[] }>('engine::workers::list', {});
    expect(workers.filter((w) => String(w.name).startsWith('iii-interface-collector'))).toEqual([]);
  });
});

describe.each(['0.13', '0.11'] as const)('a %s engine and the namespace key', (generation) => {
  const h = harness(generation);

  it('accepts `namespace` on the calls the collector makes, and collects a worker started with III_NAMESPACE', async () => {
    h.worker({ name: 'orders-worker', functionCount: 2, triggerTypes: ['orders-worker::placed'] }, { namespace: 'orders' });
    await h.listed('orders-worker');
    const client = await h.connect();
    const calls: [string, Row][] =
      generation === '0.13'
        ? [
            ['engine::workers::info', { name: 'orders-worker', namespace: 'default' }],
            ['engine::functions::info', { function_ids: ['orders-worker::fn-000'], namespace: 'default' }],
            ['engine::triggers::info', { id: 'orders-worker::placed', namespace: 'default' }],
          ]
        : [
            ['engine::workers::list', { namespace: 'default' }],
            ['engine::functions::list', { include_internal: true, namespace: 'default' }],
            ['engine::trigger-types::list', { include_internal: false, namespace: 'default' }],
          ];
    for (const [fn, data] of calls) await expect(client.invoke(fn, data)).resolves.toBeDefined();

    h.worker({ name: 'late-orders', functionCount: 2 }, { namespace: 'orders' });
    const collector = await h.collector({ hearRejections: false });
    const collected = await collector.collect({ worker: 'late-orders', timeoutMs: 10_000, settleMs: SETTLE_MS });
    expect(collected.worker.namespace).toBeUndefined(); // these engines have no namespaces
    expect(collected.iface.functions.map((f) => f.name)).toEqual(['late-orders::fn-000', 'late-orders::fn-001']);
  });
});
