// Fixture worker on the Node iii-sdk 0.22.1 (this repository's devDependency `iii-sdk`). Node SDKs send only the
// schemas they are given. Its expected interface is expected-interface.json.
const { registerWorker } = require('iii-sdk');

const iii = registerWorker(process.env.III_URL, { workerName: 'node-sdk-0-22', enableMetricsReporting: false, otel: { enabled: false } });

const money = { type: 'object', properties: { cents: { type: 'integer' }, currency: { type: 'string' } }, required: ['cents'] };
iii.registerFunction('js022::convert', async ({ cents }) => ({ cents, currency: 'EUR' }), {
  description: 'Converts an amount to euros',
  request_format: money,
  response_format: money,
  metadata: { registry_name: 'convert' },
});
iii.registerFunction('js022::ping', async () => 'pong', { description: 'Answers pong' });
iii.registerTriggerType(
  { id: 'js022::rate-changed', description: 'Fires when an exchange rate changes', trigger_request_format: { type: 'object', properties: { currency: { type: 'string' } } } },
  { async registerTrigger() {}, async unregisterTrigger() {} },
);
