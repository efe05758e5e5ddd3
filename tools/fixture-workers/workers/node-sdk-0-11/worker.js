// Fixture worker on the Node iii-sdk 0.11.6 (this repository's devDependency `iii-sdk-0-11`): two functions with
// hand-written schemas and metadata. Its expected interface is expected-interface.json.
const { registerWorker } = require('iii-sdk-0-11');

const iii = registerWorker(process.env.III_URL, { workerName: 'node-sdk-0-11', enableMetricsReporting: false, otel: { enabled: false } });

iii.registerFunction('js011::slugify', async ({ text }) => ({ slug: String(text).toLowerCase().replace(/\W+/g, '-') }), {
  description: 'Turns a title into a URL slug',
  request_format: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  response_format: { type: 'object', properties: { slug: { type: 'string' } } },
});
iii.registerFunction('js011::now', async () => ({ iso: new Date().toISOString() }), { metadata: { pure: false } });
