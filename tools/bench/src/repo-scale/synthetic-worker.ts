/**
 * Source of a synthetic iii worker: a real iii-sdk process registering `functions` functions (with typed request and
 * response schemas) and `triggerTypes` trigger types under `{namespace}::`. The same script serves as a release
 * "binary" (`--url ws://…`, Rust-CLI style) and as a `scripts.start` worker (`III_URL`). iii-sdk is required by
 * absolute path, because release binaries run from the download cache.
 */
export interface SyntheticWorkerShape {
  namespace: string;
  functions: number;
  triggerTypes: number;
}

export function syntheticWorkerScript(shape: SyntheticWorkerShape): string {
  const { namespace, functions, triggerTypes } = shape;
  return `#!${process.execPath}
// Benchmark worker "${namespace}": ${functions} functions, ${triggerTypes} trigger types.
const { registerWorker } = require(${JSON.stringify(require.resolve('iii-sdk'))});

const urlFlag = process.argv.indexOf('--url');
const url = urlFlag > 0 ? process.argv[urlFlag + 1] : process.env.III_URL || 'ws://127.0.0.1:49134';
const iii = registerWorker(url, { otel: { enabled: false } });

for (let i = 0; i < ${functions}; i++) {
  const id = String(i).padStart(3, '0');
  iii.registerFunction('${namespace}::op_' + id, async (data) => ({ id, ok: true, data }), {
    description: 'Operation ' + id + ' of ${namespace}',
    request_format: { type: 'object', properties: { input: { type: 'string' }, count: { type: 'integer' } }, required: ['input'] },
    response_format: { type: 'object', properties: { ok: { type: 'boolean' }, id: { type: 'string' } } },
  });
}
for (let t = 0; t < ${triggerTypes}; t++) {
  iii.registerTriggerType({ id: '${namespace}::event_' + t, description: 'Event ' + t + ' of ${namespace}' }, { async registerTrigger() {}, async unregisterTrigger() {} });
}
process.stdin.resume();
`;
}
