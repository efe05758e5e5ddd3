'use strict';
// A real iii-sdk worker for the engine's integration tests.
// env: III_URL, SDK_PACKAGE (iii-sdk | iii-sdk-0-11), WORKER_ROLE (provider | consumer | watcher | plain), WORKER_NAME.
// stdout lines starting with "@@" are JSON events for the test; stdin takes JSON call commands.
const readline = require('node:readline');
const { registerWorker } = require(process.env.SDK_PACKAGE || 'iii-sdk');

const role = process.env.WORKER_ROLE || 'plain';
const emit = (event, data) => process.stdout.write(`@@${JSON.stringify({ event, data: data === undefined ? null : data })}\n`);

const iii = registerWorker(process.env.III_URL, {
  workerName: process.env.WORKER_NAME || `fixture-${role}`,
  workerDescription: `Fixture ${role} worker`,
  enableMetricsReporting: false,
  otel: { enabled: false },
});

if (role === 'provider') {
  iii.registerFunction('demo::add', async ({ a, b }) => ({ sum: a + b }), {
    description: 'Add two numbers',
    request_format: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
    response_format: { type: 'object', properties: { sum: { type: 'number' } } },
  });
  iii.registerFunction('demo::echo', async (data) => data, { description: 'Echo', metadata: { tags: ['demo'] } });
  iii.registerFunction('demo::hang', async (data) => {
    emit('hang-started', data);
    return new Promise(() => undefined);
  });
  iii.registerFunction('demo::record', async (data) => {
    emit('recorded', data);
    return null;
  });
  iii.registerTriggerType(
    { id: 'demo::tick', description: 'Fires once per binding' },
    {
      async registerTrigger(binding) {
        emit('register-trigger', binding);
        // Fire once through the engine so the test sees the binding's function run in the other worker.
        iii.trigger({ function_id: binding.function_id, payload: { tick: 1, trigger_id: binding.id }, action: { type: 'void' } });
      },
      async unregisterTrigger(binding) {
        emit('unregister-trigger', binding);
      },
    },
  );
}

if (role === 'consumer') {
  iii.registerFunction('consumer::on-tick', async (data) => {
    emit('on-tick', data);
    return null;
  });
  iii.registerTrigger({ type: 'demo::tick', function_id: 'consumer::on-tick', config: { every: '1s' } });
}

if (role === 'watcher') {
  iii.registerFunction('watcher::on-workers', async (data) => {
    emit('workers-available', data);
    return null;
  });
  iii.registerTrigger({ type: 'engine::workers-available', function_id: 'watcher::on-workers', config: {} });
}

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  const command = JSON.parse(line);
  try {
    const action = command.void ? { type: 'void' } : undefined;
    const result = await iii.trigger({ function_id: command.function_id, payload: command.payload, action, timeoutMs: command.timeoutMs });
    emit('result', { id: command.id, result: result === undefined ? null : result });
  } catch (error) {
    emit('result', { id: command.id, error: { code: error.code, message: error.message } });
  }
});
