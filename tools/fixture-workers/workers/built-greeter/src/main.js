#!/usr/bin/env node
// e2e fixture: the source of the built-greeter "binary"; build.js bakes the greeting in.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { registerWorker } = require('iii-sdk');

const GREETING = '__GREETING__';
if (process.env.NXWP_E2E_MARKER_DIR) {
  const marker = { cwd: process.cwd(), envNames: Object.keys(process.env).sort(), greeting: GREETING };
  writeFileSync(join(process.env.NXWP_E2E_MARKER_DIR, `built-greeter.${process.pid}.started`), JSON.stringify(marker));
}

const urlFlag = process.argv.indexOf('--url');
if (urlFlag < 0 || !process.argv[urlFlag + 1]) {
  console.error('error: the following required arguments were not provided: --url <URL>');
  process.exit(2);
}
const iii = registerWorker(process.argv[urlFlag + 1], {
  workerName: 'built-greeter',
  enableMetricsReporting: false,
  otel: { enabled: false },
});

iii.registerFunction('greeter::greet', async ({ name }) => ({ text: `${GREETING}, ${name}!` }), {
  description: `Says "${GREETING}" to someone`,
  request_format: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
  response_format: { type: 'object', properties: { text: { type: 'string' } } },
});

process.stdin.resume();
