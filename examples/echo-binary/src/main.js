#!/usr/bin/env node
// A worker "binary" with a Rust-style CLI: `echo-binary --url ws://...`. Unnamed, like a Rust SDK worker: the
// collector recognises it by its `echo_binary::` namespace.
const { registerWorker } = require('iii-sdk');

const urlFlag = process.argv.indexOf('--url');
const url = urlFlag > 0 ? process.argv[urlFlag + 1] : 'ws://127.0.0.1:49134';
const iii = registerWorker(url, { otel: { enabled: false } });

iii.registerFunction('echo_binary::echo', async (data) => data, {
  description: 'Echo the request back',
  request_format: { type: 'object' },
  response_format: { type: 'object' },
});
iii.registerFunction('echo_binary::upper', async ({ text }) => ({ text: String(text).toUpperCase() }), {
  description: 'Upper-case a text',
  request_format: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  response_format: { type: 'object', properties: { text: { type: 'string' } } },
});
process.stdin.resume();
