import type { WorkerInterface } from '../../core/interface/worker-interface';

/**
 * The fixture worker "calc": two functions and one trigger type on the real iii-sdk. It writes its pid to
 * $CALC_PID_FILE (when set) so tests can check that it is gone afterwards.
 */
const REGISTRATIONS = `
const { registerWorker } = require('iii-sdk');
if (process.env.CALC_PID_FILE) require('node:fs').writeFileSync(process.env.CALC_PID_FILE, String(process.pid));
const iii = registerWorker(engineUrl, { workerName: 'calc', otel: { enabled: false }, enableMetricsReporting: false });

iii.registerFunction('calc::add', async ({ a, b }) => ({ sum: a + b }), {
  description: 'Add two numbers',
  request_format: { type: 'object', required: ['a', 'b'], properties: { b: { type: 'number' }, a: { type: 'number' } } },
  response_format: { type: 'object', properties: { sum: { type: 'number' } } },
  metadata: { tags: ['math'] },
});
iii.registerFunction('calc::negate', async ({ x }) => ({ x: -x }), {
  description: 'Negate a number',
  metadata: { registry_name: 'negate' },
});
iii.registerTriggerType(
  {
    id: 'calc::on-overflow',
    description: 'Fires when a result overflows',
    trigger_request_format: { type: 'object', properties: { limit: { type: 'number' } } },
    call_request_format: { type: 'object', properties: { value: { type: 'number' } } },
  },
  { async registerTrigger() {}, async unregisterTrigger() {} },
);
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
`;

/** `worker.js` for `scripts.start: node worker.js`: the engine URL comes from III_URL. */
export const CALC_START_SCRIPT = `// calc worker, started by scripts.start\nconst engineUrl = process.env.III_URL;\n${REGISTRATIONS}`;

/** A build-output "binary" (target/release/calc): an executable script that takes `--url <engine>` like a Rust worker. */
export const CALC_BINARY = {
  content: `#!/usr/bin/env node\n// calc worker binary\nconst engineUrl = process.argv[process.argv.indexOf('--url') + 1];\n${REGISTRATIONS}`,
  mode: 0o755,
};

/** What collect-interface must find: names from registry_name or the id, formats as schemas, keys sorted. */
export const CALC_INTERFACE: WorkerInterface = {
  functions: [
    {
      name: 'calc::add',
      description: 'Add two numbers',
      request_schema: { properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], type: 'object' },
      response_schema: { properties: { sum: { type: 'number' } }, type: 'object' },
      metadata: { tags: ['math'] },
    },
    { name: 'negate', description: 'Negate a number', request_schema: {}, response_schema: {}, metadata: { registry_name: 'negate' } },
  ],
  triggers: [
    {
      name: 'calc::on-overflow',
      description: 'Fires when a result overflows',
      invocation_schema: { properties: { limit: { type: 'number' } }, type: 'object' },
      return_schema: { properties: { value: { type: 'number' } }, type: 'object' },
      metadata: {},
    },
  ],
};

export const CALC_IMAGE_MANIFEST = `iii: v1
name: calc
language: node
deploy: image
manifest: package.json
description: Adds and negates numbers
scripts:
  start: node worker.js
`;

export const CALC_BINARY_MANIFEST = `iii: v1
name: calc
language: rust
deploy: binary
manifest: package.json
description: Adds and negates numbers
`;

export const CALC_PACKAGE_JSON = JSON.stringify({ name: 'calc', version: '1.4.0', private: true }, null, 2) + '\n';
