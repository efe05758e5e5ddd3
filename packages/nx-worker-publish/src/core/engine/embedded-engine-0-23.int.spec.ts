import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEngineOptionError, startEmbeddedEngine, type RegistrationRejection, type RunningEngine } from './embedded-engine';
import { RawClient, type Frame } from './test-support/raw-client';

// The 0.23 generation (spec iii-engine-0.23 §1) over plain WebSocket frames: registrations held until
// engine::workers::register names the namespace, namespaced rows and lookups, registrationrejected.

let pid = 10_000;

describe('embedded engine, 0.23 generation', () => {
  let engine: RunningEngine;
  let observer: RawClient;
  const rejections: RegistrationRejection[] = [];
  const clients: RawClient[] = [];
  const connect = async () => {
    const client = await RawClient.connect(engine.url);
    clients.push(client);
    return client;
  };
  /** A worker speaking the iii-sdk 0.23 order: register (with its namespace) first, then its functions. */
  const worker = async (name: string, namespace: string | undefined, functionIds: string[], types: string[] = []) => {
    const client = await connect();
    client.register({ runtime: 'node', version: '0.23.0', name, pid: ++pid, ...(namespace ? { namespace } : {}) });
    for (const id of types) client.send({ type: 'registertriggertype', id, description: `type ${id}` });
    for (const id of functionIds) client.send({ type: 'registerfunction', id, description: `fn ${id}` });
    await client.sync();
    return client;
  };
  const functionRows = async (id: string) => (await observer.result('engine::functions::list', {})).functions.filter((f: Frame) => f.function_id === id);

  beforeAll(async () => {
    engine = await startEmbeddedEngine(); // 0.23 is the default
    engine.onRegistrationRejected((r) => rejections.push(r));
    observer = await connect();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await engine.stop();
  });

  test('reports version 0.23.0 and the 0.23 generation', async () => {
    expect(engine.generation).toBe('0.23');
    const { workers } = await observer.result('engine::workers::list', {});
    expect(workers.find((w: Frame) => w.id === 'iii-engine-functions')).toMatchObject({ version: '0.23.0', namespace: 'default' });
  });

  test('holds a connection’s registrations until its engine::workers::register, then drains them into its namespace', async () => {
    const client = await connect();
    client.send({ type: 'registertriggertype', id: 'held::tick', description: 'Held type' });
    client.send({ type: 'registerfunction', id: 'held::fn', description: 'Held' });
    client.send({ type: 'registerfunction', id: 'held::gone' });
    client.send({ type: 'unregisterfunction', id: 'held::gone' });
    // invokefunction is not held: the connection can call the engine before it registers.
    const early = await client.result('engine::functions::list', {});
    expect(early.functions.map((f: Frame) => f.function_id)).not.toContain('held::fn');
    expect(await functionRows('held::fn')).toEqual([]);
    expect((await observer.result('engine::triggers::list', {})).triggers.map((t: Frame) => t.id)).not.toContain('held::tick');

    client.register({ runtime: 'node', name: 'held-worker', pid: ++pid, namespace: 'orders' });
    await client.sync();
    expect(await functionRows('held::fn')).toEqual([{ function_id: 'held::fn', namespace: 'orders', worker_name: 'held-worker', description: 'Held' }]);
    expect(await functionRows('held::gone')).toEqual([]); // drained in arrival order: registered, then unregistered
    const info = await observer.result('engine::workers::info', { name: 'held-worker' });
    expect(info.worker).toMatchObject({ name: 'held-worker', namespace: 'orders', function_count: 1 });
    expect(info.trigger_types).toEqual([{ id: 'held::tick', namespace: 'orders', worker_name: 'held-worker', description: 'Held type' }]);
  });

  test('every introspection row carries namespace where the 0.23 structs put it', async () => {
    const client = await worker('rows-worker', 'rows', ['rows::fn'], ['rows::tick']);
    const { workers } = await observer.result('engine::workers::list', {});
    const row = workers.find((w: Frame) => w.id === client.workerId);
    expect(Object.keys(row)).toEqual(['name', 'description', 'version', 'id', 'namespace', 'runtime', 'os', 'status', 'function_count', 'connected_at_ms', 'active_invocations', 'isolation', 'ip_address']);
    expect(row.namespace).toBe('rows');
    const [fn] = await functionRows('rows::fn');
    expect(Object.keys(fn)).toEqual(['function_id', 'namespace', 'worker_name', 'description']);
    const types = (await observer.result('engine::triggers::list', {})).triggers;
    expect(types.find((t: Frame) => t.id === 'rows::tick')).toEqual({ id: 'rows::tick', namespace: 'rows', worker_name: 'rows-worker', description: 'type rows::tick' });
    expect(types.find((t: Frame) => t.id === 'log')).toMatchObject({ namespace: 'default', worker_name: 'iii-observability' });
    const detail = await observer.result('engine::functions::info', { function_id: 'rows::fn' });
    expect(Object.keys(detail)).toEqual(['function_id', 'namespace', 'worker_name', 'description', 'registered_triggers']);
    const info = await observer.result('engine::workers::info', { name: 'rows-worker' });
    expect(Object.keys(info.worker).slice(0, 5)).toEqual(['name', 'description', 'version', 'id', 'namespace']);
    expect(info.functions).toEqual([{ function_id: 'rows::fn', namespace: 'rows', worker_name: 'rows-worker', description: 'fn rows::fn' }]);
  });

  test('workers::info: explicit namespace is strict; a bare name prefers default, else the unique one, else it is ambiguous', async () => {
    await worker('twin', 'a', ['twin-a::fn']);
    expect((await observer.result('engine::workers::info', { name: 'twin' })).worker.namespace).toBe('a'); // unique non-default
    await worker('twin', 'b', ['twin-b::fn']);
    expect((await observer.call('engine::workers::info', { name: 'twin' })).error).toEqual({
      code: 'NOT_FOUND',
      message: "Worker 'twin' is ambiguous: it is connected in namespace(s): a, b. Pass `namespace` to select one.",
    });
    const inB = await observer.result('engine::workers::info', { name: 'twin', namespace: 'b' });
    expect(inB.worker.namespace).toBe('b');
    expect(inB.functions.map((f: Frame) => f.function_id)).toEqual(['twin-b::fn']);
    expect((await observer.call('engine::workers::info', { name: 'twin', namespace: 'c' })).error).toEqual({
      code: 'NOT_FOUND',
      message: "Worker 'twin' is not connected in namespace 'c'. It is connected in namespace(s): a, b.",
    });
    await worker('twin', undefined, ['twin-default::fn']);
    expect((await observer.result('engine::workers::info', { name: 'twin' })).worker.namespace).toBe('default');
  });

  test('functions::info: explicit namespace is strict; a bare id prefers default, else the unique one, else ambiguous', async () => {
    await worker('dup-a', 'a', ['dup::fn', 'only-a::fn']);
    await worker('dup-b', 'b', ['dup::fn']);
    expect((await observer.result('engine::functions::info', { function_id: 'only-a::fn' })).namespace).toBe('a');
    expect((await observer.call('engine::functions::info', { function_id: 'dup::fn' })).error).toEqual({
      code: 'NOT_FOUND',
      message: "Function 'dup::fn' is ambiguous: it is registered in namespace(s): a, b. Pass `namespace` to select one.",
    });
    expect(await observer.result('engine::functions::info', { function_id: 'dup::fn', namespace: 'b' })).toMatchObject({ namespace: 'b', worker_name: 'dup-b' });
    expect((await observer.call('engine::functions::info', { function_id: 'dup::fn', namespace: 'c' })).error).toEqual({
      code: 'NOT_FOUND',
      message: "Function 'dup::fn' is not registered in namespace 'c'. It is registered in namespace(s): a, b.",
    });
    const batch = await observer.result('engine::functions::info', { function_ids: ['dup::fn', 'only-a::fn'] });
    expect(batch.functions).toEqual([{ function_id: 'dup::fn', error: 'not_found' }, expect.objectContaining({ function_id: 'only-a::fn', namespace: 'a' })]);
    const inA = await observer.result('engine::functions::info', { function_ids: ['dup::fn', 'only-a::fn'], namespace: 'a' });
    expect(inA.functions.map((f: Frame) => [f.function_id, f.namespace, f.worker_name])).toEqual([
      ['dup::fn', 'a', 'dup-a'],
      ['only-a::fn', 'a', 'dup-a'],
    ]);
    expect((await functionRows('dup::fn')).map((f: Frame) => f.namespace)).toEqual(['a', 'b']);
    await worker('dup-default', undefined, ['dup::fn']);
    expect((await observer.result('engine::functions::info', { function_id: 'dup::fn' })).namespace).toBe('default');
  });

  test('triggers::info looks in namespace ?? "default" only', async () => {
    await worker('ticker', 'clock', [], ['clock::tick']);
    expect((await observer.call('engine::triggers::info', { id: 'clock::tick' })).error).toEqual({
      code: 'NOT_FOUND',
      message: "Trigger type 'clock::tick' is not registered in namespace 'default'.",
    });
    expect(await observer.result('engine::triggers::info', { id: 'clock::tick', namespace: 'clock' })).toEqual({
      id: 'clock::tick',
      namespace: 'clock',
      worker_name: 'ticker',
      description: 'type clock::tick',
      instance_count: 0,
    });
    expect(await observer.result('engine::triggers::info', { id: 'log' })).toMatchObject({ id: 'log', namespace: 'default' });
  });

  test('an unknown id is function_not_found naming the namespace looked in and those the id lives in', async () => {
    await worker('nf-a', 'nf-a', ['nf::fn']);
    await worker('nf-b', 'nf-b', ['nf::fn']);
    expect((await observer.call('nf::fn')).error).toEqual({
      code: 'function_not_found',
      message: 'Function nf::fn not found in namespace default. It is registered in namespace(s): nf-a, nf-b.',
    });
    expect((await observer.call('never::registered')).error).toEqual({ code: 'function_not_found', message: 'Function never::registered not found in namespace default.' });
  });

  test('a worker that registers first and then 200 functions in one burst is listed with all 200 in its namespace', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `bulk::fn-${String(i).padStart(3, '0')}`);
    await worker('bulk-worker', 'bulk', ids);
    const info = await observer.result('engine::workers::info', { name: 'bulk-worker' });
    expect(info.worker.function_count).toBe(200);
    expect(info.functions.map((f: Frame) => f.function_id)).toEqual(ids);
    expect(new Set(info.functions.map((f: Frame) => f.namespace))).toEqual(new Set(['bulk']));
  });

  test('trigger bindings find their provider in trigger_namespace, else the connection’s namespace, then default', async () => {
    const provider = await worker('tick-provider', 'plant', [], ['plant::tick']);
    // Same namespace, no trigger_namespace: the connection's own namespace provides the type.
    const local = await worker('tick-local', 'plant', ['plant::on-tick']);
    local.send({ type: 'registertrigger', id: 'b-local', trigger_type: 'plant::tick', function_id: 'plant::on-tick', namespace: 'plant', config: { every: 1 } });
    expect(await provider.next((f) => f.type === 'registertrigger' && f.id === 'b-local')).toEqual({
      type: 'registertrigger',
      id: 'b-local',
      trigger_type: 'plant::tick',
      function_id: 'plant::on-tick',
      config: { every: 1 },
    });
    // Another namespace reaches it only by naming it.
    const remote = await worker('tick-remote', undefined, ['remote::on-tick']);
    remote.send({ type: 'registertrigger', id: 'b-parked', trigger_type: 'plant::tick', function_id: 'remote::on-tick', config: {} });
    remote.send({ type: 'registertrigger', id: 'b-remote', trigger_type: 'plant::tick', trigger_namespace: 'plant', function_id: 'remote::on-tick', config: {} });
    expect((await provider.next((f) => f.type === 'registertrigger' && f.id.startsWith('b-'))).id).toBe('b-remote');
    const rows = (await observer.result('engine::registered-triggers::list', {})).registered_triggers.map((t: Frame) => t.id);
    expect(rows).toEqual(expect.arrayContaining(['b-local', 'b-remote']));
    expect(rows).not.toContain('b-parked'); // default has no plant::tick: parked
    // A binding's function is looked up in the binding's namespace.
    const info = await observer.result('engine::workers::info', { name: 'tick-local' });
    expect(info.registered_triggers.map((t: Frame) => t.id)).toEqual(['b-local']);
    expect((await observer.result('engine::triggers::info', { id: 'plant::tick', namespace: 'plant' })).instance_count).toBe(2);
  });

  test('invokefunction.namespace routes to that namespace’s owner', async () => {
    const callee = await worker('routed', 'routed', ['routed::echo']);
    const pending = observer.call('routed::echo', { hi: 1 }, 'routed');
    const invocation = await callee.next((f) => f.type === 'invokefunction');
    expect(invocation.function_id).toBe('routed::echo');
    callee.send({ type: 'invocationresult', invocation_id: invocation.invocation_id, function_id: 'routed::echo', result: { ok: true } });
    expect((await pending).result).toEqual({ ok: true });
  });

  test('WORKER_NAMESPACE_CONFLICT: a live name in the namespace refuses the newcomer and closes it', async () => {
    const owner = await worker('solo', 'orders', ['solo::fn']);
    const before = rejections.length;
    const newcomer = await connect();
    newcomer.register({ runtime: 'node', name: 'solo', pid: ++pid, namespace: 'orders' });
    newcomer.send({ type: 'registerfunction', id: 'solo::second' });
    const frame = await newcomer.next((f) => f.type === 'registrationrejected');
    expect(frame).toEqual({ type: 'registrationrejected', code: 'WORKER_NAMESPACE_CONFLICT', namespace: 'orders', worker_name: 'solo', owner_worker_id: owner.workerId });
    expect(await newcomer.closed).toBe(1008);
    expect(rejections.slice(before)).toEqual([
      { code: 'WORKER_NAMESPACE_CONFLICT', namespace: 'orders', workerId: newcomer.workerId, workerName: 'solo', ownerWorkerId: owner.workerId, ownerWorkerName: 'solo' },
    ]);
    expect(engine.logTail()).toMatch(/registrationrejected WORKER_NAMESPACE_CONFLICT: .*"solo".*namespace "orders"/);
    expect(await functionRows('solo::second')).toEqual([]);
    const { workers } = await observer.result('engine::workers::list', {});
    expect(workers.filter((w: Frame) => w.name === 'solo').map((w: Frame) => w.id)).toEqual([owner.workerId]);
    // The same name in another namespace is another worker.
    await worker('solo', 'billing', ['solo-billing::fn']);
    expect((await observer.result('engine::workers::info', { name: 'solo', namespace: 'billing' })).worker.namespace).toBe('billing');
  });

  test('FUNCTION_NAMESPACE_CONFLICT: the first live owner keeps the id; the newcomer stays connected', async () => {
    const owner = await worker('first-owner', 'shop', ['shop::checkout']);
    const before = rejections.length;
    const newcomer = await connect();
    newcomer.register({ runtime: 'node', name: 'second-owner', pid: ++pid, namespace: 'shop' });
    newcomer.send({ type: 'registerfunction', id: 'shop::checkout' });
    newcomer.send({ type: 'registerfunction', id: 'shop::refund' });
    newcomer.send({ type: 'registerfunction', id: 'engine::mine' });
    const frames = [await newcomer.next((f) => f.type === 'registrationrejected'), await newcomer.next((f) => f.type === 'registrationrejected')];
    expect(frames).toEqual([
      { type: 'registrationrejected', code: 'FUNCTION_NAMESPACE_CONFLICT', namespace: 'shop', function_id: 'shop::checkout', owner_worker_id: owner.workerId },
      { type: 'registrationrejected', code: 'FUNCTION_NAMESPACE_CONFLICT', namespace: 'shop', function_id: 'engine::mine', owner_worker_id: '' },
    ]);
    await newcomer.sync(); // still connected
    expect(rejections.slice(before)).toEqual([
      {
        code: 'FUNCTION_NAMESPACE_CONFLICT',
        namespace: 'shop',
        workerId: newcomer.workerId,
        workerName: 'second-owner',
        functionId: 'shop::checkout',
        ownerWorkerId: owner.workerId,
        ownerWorkerName: 'first-owner',
      },
      { code: 'FUNCTION_NAMESPACE_CONFLICT', namespace: 'shop', workerId: newcomer.workerId, workerName: 'second-owner', functionId: 'engine::mine', ownerWorkerId: '' },
    ]);
    expect(engine.logTail()).toContain('function shop::checkout refused in namespace "shop"');
    expect(await observer.result('engine::functions::info', { function_id: 'shop::checkout', namespace: 'shop' })).toMatchObject({ worker_name: 'first-owner' });
    const info = await observer.result('engine::workers::info', { name: 'second-owner' });
    expect(info.functions.map((f: Frame) => f.function_id)).toEqual(['shop::refund']);
    // Once the owner is gone the id is free again.
    await owner.close();
    newcomer.send({ type: 'registerfunction', id: 'shop::checkout' });
    await newcomer.sync();
    expect(await observer.result('engine::functions::info', { function_id: 'shop::checkout', namespace: 'shop' })).toMatchObject({ worker_name: 'second-owner' });
  });

  test('a blank namespace is INVALID_NAMESPACE', async () => {
    const client = await connect();
    const answer = client.call('engine::workers::register', { runtime: 'node', name: 'blank', pid: ++pid, namespace: '  ' });
    expect(await client.next((f) => f.type === 'registrationrejected')).toEqual({ type: 'registrationrejected', code: 'INVALID_NAMESPACE', namespace: '  ', owner_worker_id: '' });
    expect((await answer).error).toEqual({ code: 'INVALID_NAMESPACE', message: expect.stringContaining('blank') });
    const { workers } = await observer.result('engine::workers::list', {});
    expect(workers.map((w: Frame) => w.name)).not.toContain('blank');
  });

  test('engine::workers::register answers {success:false} to a rejected worker', async () => {
    await worker('answered', 'q', []);
    const client = await connect();
    expect((await client.call('engine::workers::register', { runtime: 'node', name: 'answered', pid: ++pid, namespace: 'q' })).result).toEqual({ success: false });
  });
});

describe('embedded engine, 0.23 namespace grace', () => {
  const saved = process.env.III_NAMESPACE_GRACE_MS;
  afterEach(() => {
    if (saved === undefined) delete process.env.III_NAMESPACE_GRACE_MS;
    else process.env.III_NAMESPACE_GRACE_MS = saved;
  });

  async function drainsWithoutRegister(engine: RunningEngine) {
    const client = await RawClient.connect(engine.url);
    const observer = await RawClient.connect(engine.url);
    try {
      client.send({ type: 'registerfunction', id: 'graced::fn' });
      await client.sync();
      const listed = async () => (await observer.result('engine::functions::list', {})).functions.filter((f: Frame) => f.function_id === 'graced::fn');
      expect(await listed()).toEqual([]);
      const waitFor = async (): Promise<Frame[]> => {
        const rows = await listed();
        if (rows.length > 0) return rows;
        await new Promise((r) => setTimeout(r, 20));
        return waitFor();
      };
      expect(await waitFor()).toEqual([{ function_id: 'graced::fn', namespace: 'default', worker_name: 'graced' }]);
      expect(engine.logTail()).toMatch(/no engine::workers::register within \d+ ms; 1 held registration\(s\) go to namespace "default"/);
    } finally {
      await client.close();
      await observer.close();
    }
  }

  test('with no register, the held registrations go to default once the grace (option) elapses', async () => {
    const engine = await startEmbeddedEngine({ generation: '0.23', namespaceGraceMs: 150 });
    try {
      await drainsWithoutRegister(engine);
    } finally {
      await engine.stop();
    }
  });

  test('III_NAMESPACE_GRACE_MS sets the grace; a value that is not a number of ms is a clear error', async () => {
    process.env.III_NAMESPACE_GRACE_MS = '120';
    const engine = await startEmbeddedEngine({ generation: '0.23' });
    try {
      await drainsWithoutRegister(engine);
    } finally {
      await engine.stop();
    }
    process.env.III_NAMESPACE_GRACE_MS = 'soon';
    const failed = startEmbeddedEngine({ generation: '0.23' });
    await expect(failed).rejects.toBeInstanceOf(EmbeddedEngineOptionError);
    await expect(failed).rejects.toThrow('III_NAMESPACE_GRACE_MS="soon" is not a whole number of milliseconds');
  });
});

describe.each(['0.23', '0.13', '0.11'] as const)('embedded engine %s: engine-owned functions, engine log, functions-available', (generation) => {
  let engine: RunningEngine;
  let dir: string;
  const clients: RawClient[] = [];
  /** A connection that has registered (so that on 0.23 its registrations are not held). */
  const registered = async (name: string) => {
    const client = await RawClient.connect(engine.url);
    clients.push(client);
    client.register({ runtime: 'node', name, pid: ++pid });
    await client.sync();
    return client;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'engine-log-'));
    engine = await startEmbeddedEngine({ generation, logFile: join(dir, 'engine.log') });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('engine::log::* are accepted and written to the engine log file; health::check answers healthy', async () => {
    const client = await registered('logger');
    for (const level of ['trace', 'debug', 'info', 'warn', 'error']) {
      const answer = await client.call(`engine::log::${level}`, { message: `booting (${level})`, data: { step: 1 } });
      expect(answer.error).toBeUndefined();
    }
    expect(engine.logFile).toBe(join(dir, 'engine.log'));
    await engine.flushLog();
    const file = readFileSync(engine.logFile!, 'utf8');
    expect(file).toMatch(/INFO  \[logger \([0-9a-f-]+\)\] booting \(info\) \{"data":\{"step":1\}\}/);
    expect(file).toMatch(/ERROR \[logger .*booting \(error\)/);
    expect(engine.logTail()).toContain('booting (warn)');
    expect(await client.result('engine::health::check', {})).toMatchObject({ status: 'healthy' });
  });

  test('they are listed under iii-observability', async () => {
    const client = await registered('lister');
    const { workers } = await client.result('engine::workers::list', {});
    expect(workers.find((w: Frame) => w.id === 'iii-observability')).toMatchObject({ function_count: 6 });
    if (generation === '0.11') return; // no workers::info before 0.13
    const info = await client.result('engine::workers::info', { name: 'iii-observability' });
    expect(info.functions.map((f: Frame) => f.function_id)).toEqual([
      'engine::health::check',
      'engine::log::debug',
      'engine::log::error',
      'engine::log::info',
      'engine::log::trace',
      'engine::log::warn',
    ]);
  });

  test('a call to an engine service the embedded engine lacks is function_not_found and a line in the engine log', async () => {
    const client = await registered('stateful');
    const answer = await client.call('state::get', { scope: 's', key: 'k' });
    expect(answer.error.code).toBe('function_not_found');
    expect(answer.error.message).toMatch(/^Function state::get not found/);
    expect(engine.logTail()).toMatch(/WARN  function_not_found: worker stateful \([0-9a-f-]+\) called state::get in namespace "default"; it belongs to state \(iii-state\), which the embedded engine does not provide/);
    await engine.flushLog();
    expect(readFileSync(engine.logFile!, 'utf8')).toContain('called state::get');
  });

  test('engine::functions-available fires at once when a worker’s functions or trigger types change', async () => {
    const watcher = await registered('fa-watcher');
    watcher.send({ type: 'registerfunction', id: 'fa-watcher::on' });
    watcher.send({ type: 'registertrigger', id: 'fa-binding', trigger_type: 'engine::functions-available', function_id: 'fa-watcher::on', config: {} });
    await watcher.sync();
    const event = async (match: (data: Frame) => boolean) => {
      const frame = await watcher.next((f) => f.type === 'invokefunction' && f.function_id === 'fa-watcher::on' && match(f.data));
      return frame.data;
    };
    const ids = (data: Frame) => data.functions.map((f: Frame) => f.function_id);

    const provider = await registered('fa-provider');
    provider.send({ type: 'registerfunction', id: 'fa::one' });
    provider.send({ type: 'registerfunction', id: 'fa::two' });
    const added = await event((d) => ids(d).includes('fa::two'));
    expect(ids(added)).toEqual(expect.arrayContaining(['fa::one', 'fa::two', 'fa-watcher::on']));
    expect(ids(added)).not.toContain('engine::workers::list');
    expect(added.functions.find((f: Frame) => f.function_id === 'fa::one')).toEqual(generation === '0.23' ? { function_id: 'fa::one', namespace: 'default' } : { function_id: 'fa::one' });

    provider.send({ type: 'registertriggertype', id: 'fa::type', description: 'A type' });
    await event(() => true); // a trigger type alone is a change too
    await provider.close();
    const removed = await event((d) => !ids(d).includes('fa::one'));
    expect(ids(removed)).not.toContain('fa::two');
  });
});
