import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startEmbeddedEngine, type RunningEngine } from '../engine/embedded-engine';
import { connectEngine, type EngineClient } from '../engine-client/engine-client';
import { serializeInterface } from '../interface/worker-interface';
import { InterfaceCollector, WorkerWaitError } from './interface-collector';

const FIXTURE = join(__dirname, 'test-support', 'fixture-worker.js');

interface FixtureSpec {
  sdk: string;
  name?: string;
  functions?: Record<string, unknown>[];
  triggerTypes?: Record<string, unknown>[];
  triggers?: Record<string, unknown>[];
  lateFunctions?: Record<string, unknown>[];
}

jest.setTimeout(30_000);

/** The settle window is not the point of these tests: keep them fast. */
const SETTLE_MS = 100;

const SKILLS = {
  name: 'skills',
  functions: [
    {
      id: 'skills::list',
      description: 'List skills',
      request_format: { type: 'object', properties: { query: { type: 'string' } } },
      response_format: { type: 'array', items: { type: 'string' } },
      metadata: { tags: ['skills'] },
    },
    { id: 'prompts::list', description: 'List prompts' },
    { id: 'skills::get', metadata: { registry_name: 'get-skill' } },
  ],
  triggerTypes: [
    {
      id: 'skills::on-change',
      description: 'Fires when a skill changes',
      trigger_request_format: { type: 'object', properties: { scope: { type: 'string' } } },
      call_request_format: { type: 'object', properties: { skill: { type: 'string' } } },
    },
  ],
  // An instance bound to the worker's own type: instances are never part of the interface.
  triggers: [{ type: 'skills::on-change', function_id: 'skills::list', config: { scope: 'all' } }],
};

const SKILLS_INTERFACE = {
  functions: [
    { name: 'get-skill', description: '', request_schema: {}, response_schema: {}, metadata: { registry_name: 'get-skill' } },
    { name: 'prompts::list', description: 'List prompts', request_schema: {}, response_schema: {}, metadata: {} },
    {
      name: 'skills::list',
      description: 'List skills',
      request_schema: { properties: { query: { type: 'string' } }, type: 'object' },
      response_schema: { items: { type: 'string' }, type: 'array' },
      metadata: { tags: ['skills'] },
    },
  ],
  triggers: [
    {
      name: 'skills::on-change',
      description: 'Fires when a skill changes',
      invocation_schema: { properties: { scope: { type: 'string' } }, type: 'object' },
      return_schema: { properties: { skill: { type: 'string' } }, type: 'object' },
      metadata: {},
    },
  ],
};

/** The introspection shapes the collector detects on each embedded generation (0.23 = 0.13's shapes + namespaces). */
const SHAPES = { '0.23': 'current', '0.13': 'current', '0.11': 'legacy' } as const;

describe.each([
  ['iii-sdk', '0.23'],
  ['iii-sdk', '0.13'],
  ['iii-sdk', '0.11'],
  ['iii-sdk-0-11', '0.23'],
  ['iii-sdk-0-11', '0.13'],
  ['iii-sdk-0-11', '0.11'],
] as const)('collector with %s workers on a %s engine', (sdk, generation) => {
  let engine: RunningEngine;
  let client: EngineClient;
  const children: ChildProcess[] = [];

  const startWorker = (spec: Omit<FixtureSpec, 'sdk'>) => {
    const env: NodeJS.ProcessEnv = { ...process.env, III_URL: engine.url, FIXTURE_WORKER: JSON.stringify({ ...spec, sdk }) };
    delete env.III_WORKER_NAME;
    const child = spawn(process.execPath, [FIXTURE], { env, stdio: ['pipe', 'ignore', 'inherit'] });
    children.push(child);
    return child;
  };

  beforeEach(async () => {
    engine = await startEmbeddedEngine({ generation });
    client = await connectEngine(engine.url);
  });

  afterEach(async () => {
    await Promise.all(
      children.splice(0).map(
        (child) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGKILL')))),
      ),
    );
    await client.close();
    await engine.stop();
  });

  it('collects a named worker with schemas and metadata, without its trigger instances', async () => {
    const collector = await InterfaceCollector.start(client);
    expect(collector.generation).toBe(SHAPES[generation]);
    startWorker(SKILLS);
    const collected = await collector.collect({ worker: 'skills', timeoutMs: 20_000, settleMs: SETTLE_MS });
    expect(collected.rule).toBe('name');
    expect(JSON.parse(serializeInterface(collected.iface))).toEqual(SKILLS_INTERFACE);
  });

  it('matches an unnamed worker by its kebab-case namespace, next to another unnamed worker', async () => {
    const collector = await InterfaceCollector.start(client);
    startWorker({ functions: [{ id: 'other::x' }] });
    await waitForWorkerCount(client, 1);
    const myDb = startWorker({ functions: [{ id: 'my-db::query', description: 'Run a query' }] });
    // Knowing its own process keeps the collector from taking the stranger as "the only new worker".
    const collected = await collector.collect({ worker: 'my-db', timeoutMs: 20_000, settleMs: SETTLE_MS, ownsPid: (pid) => pid === myDb.pid });
    expect(collected.rule).toBe('namespace');
    expect(collected.worker.name).toMatch(/:\d+$/); // the SDK's host:pid default
    expect(collected.iface).toEqual({
      functions: [{ name: 'my-db::query', description: 'Run a query', request_schema: {}, response_schema: {}, metadata: {} }],
      triggers: [],
    });
  });

  it('collects only the target when two workers run at once, and leaves out trigger types that existed before', async () => {
    startWorker({ name: 'background', functions: [{ id: 'background::tick' }], triggerTypes: [{ id: 'background::timer', description: 'Timer' }] });
    await waitForWorkerCount(client, 1);
    const collector = await InterfaceCollector.start(client);
    startWorker({ name: 'prompts', functions: [{ id: 'prompts::render' }], triggerTypes: [{ id: 'prompts::on-render', description: 'x' }] });
    const skills = startWorker(SKILLS);
    const collected = await collector.collect({ worker: 'skills', timeoutMs: 20_000, settleMs: SETTLE_MS, ownsPid: (pid) => pid === skills.pid });
    expect(collected.worker.name).toBe('skills');
    expect(JSON.parse(serializeInterface(collected.iface))).toEqual(
      SHAPES[generation] === 'legacy'
        ? // legacy trigger types are global: a type registered by a worker that started alongside is indistinguishable
          { ...SKILLS_INTERFACE, triggers: expect.arrayContaining(SKILLS_INTERFACE.triggers) }
        : SKILLS_INTERFACE,
    );
    const triggerNames = collected.iface.triggers.map((t) => t.name);
    expect(triggerNames).not.toContain('background::timer');
    expect(triggerNames).not.toContain('log');
  });

  it('times out with the workers the engine did list', async () => {
    const collector = await InterfaceCollector.start(client);
    startWorker({ name: 'someone-else', functions: [{ id: 'a::b' }] });
    startWorker({ name: 'another', functions: [{ id: 'c::d' }] });
    await waitForWorkerCount(client, 2);
    const error = await collector.collect({ worker: 'skills', timeoutMs: 300 }).catch((e) => e);
    expect(error).toBeInstanceOf(WorkerWaitError);
    expect(error.message).toMatch(/worker skills did not register with the engine within 0\.3 s/);
    expect(error.message).toContain('someone-else');
    expect(error.message).toContain('another');
  });

  it('fails clearly when the worker registers neither functions nor trigger types', async () => {
    const collector = await InterfaceCollector.start(client);
    startWorker({ name: 'empty' });
    const error = await collector.collect({ worker: 'empty', timeoutMs: 20_000, settleMs: SETTLE_MS, noFunctionsGraceMs: 200 }).catch((e) => e);
    expect(error).toBeInstanceOf(WorkerWaitError);
    expect(error.message).toMatch(/worker empty connected to the engine .* but registered neither functions nor trigger types/);
  });

  it('says the worker registered nothing, not that it never registered, when the wait ends first', async () => {
    const collector = await InterfaceCollector.start(client);
    startWorker({ name: 'empty' });
    // The wait (12 s: long enough for a node worker to start on a loaded 2-core machine) ends well before the grace.
    const error = await collector.collect({ worker: 'empty', timeoutMs: 12_000, settleMs: SETTLE_MS, noFunctionsGraceMs: 60_000 }).catch((e) => e);
    expect(error.message).toMatch(/worker empty connected to the engine .* but registered neither functions nor trigger types/);
  });

  it('collects a worker that only provides trigger types, with no functions', async () => {
    const collector = await InterfaceCollector.start(client);
    startWorker({ name: 'http-like', triggerTypes: [{ id: 'http-like::route', description: 'Routes' }] });
    const collected = await collector.collect({ worker: 'http-like', timeoutMs: 20_000, settleMs: SETTLE_MS });
    expect(collected.iface).toEqual({
      functions: [],
      triggers: [{ name: 'http-like::route', description: 'Routes', invocation_schema: {}, return_schema: {}, metadata: {} }],
    });
  });
});

async function waitForWorkerCount(client: EngineClient, count: number) {
  for (let i = 0; i < 200; i++) {
    const { workers } = await client.invoke<{ workers: { runtime: string }[] }>('engine::workers::list', {});
    if (workers.filter((w) => w.runtime !== 'engine').length >= count) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`fewer than ${count} workers connected`);
}
