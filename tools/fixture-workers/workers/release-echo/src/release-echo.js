#!/usr/bin/env node
// e2e fixture: the "binary" of release-echo as its release tarball ships it. Like a Rust SDK worker it takes
// `--url <engine>` and reports no name, so the collector recognises it by its `release_echo::` namespace.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { registerWorker } = require('iii-sdk');

if (process.env.NXWP_E2E_MARKER_DIR) {
  const marker = { cwd: process.cwd(), envNames: Object.keys(process.env).sort() };
  writeFileSync(join(process.env.NXWP_E2E_MARKER_DIR, `release-echo.${process.pid}.started`), JSON.stringify(marker));
}

const urlFlag = process.argv.indexOf('--url');
if (urlFlag < 0 || !process.argv[urlFlag + 1]) {
  console.error('error: the following required arguments were not provided: --url <URL>');
  process.exit(2);
}
const iii = registerWorker(process.argv[urlFlag + 1], { enableMetricsReporting: false, otel: { enabled: false } });

iii.registerFunction('release_echo::echo', async (data) => data, {
  description: 'Echo the request back',
  request_format: { type: 'object' },
  response_format: { type: 'object' },
});
iii.registerFunction('release_echo::reverse', async ({ text }) => ({ text: [...String(text)].reverse().join('') }), {
  description: 'Reverse a text',
  request_format: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  response_format: { type: 'object', properties: { text: { type: 'string' } } },
  metadata: { registry_name: 'reverse' },
});

process.stdin.resume();
