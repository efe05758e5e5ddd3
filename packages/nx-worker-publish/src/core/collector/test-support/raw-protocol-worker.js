// A worker that speaks the iii wire protocol itself over a plain WebSocket, in the order iii-sdk 0.23 uses
// (spec iii-engine-0.23 §1.2: `engine::workers::register` FIRST, then trigger types, functions, triggers), or in the
// 0.22.1 order (register last). iii-sdk 0.23 is not on npm, so the collector tests use this. Driven by the RAW_WORKER
// env (JSON, see raw-protocol-worker-process.ts); `III_URL` is the engine, `III_NAMESPACE` its namespace.
// `sdkLine` 0.25 / 0.26 adds what those SDKs send (spec iii-sdk-wire §2-§5): `features` in the register data, the
// 0.25 `observe` descriptor, an `observe` frame once the engine advertises observe.v1, and (0.26) functions with
// `args_format` / `private` held back until the engine advertises observe.v2, then sent after the register call.
const WebSocket = require('ws');
const { randomUUID } = require('node:crypto');

const spec = JSON.parse(process.env.RAW_WORKER || '{}');
const namespace = process.env.III_NAMESPACE || undefined;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// noPong: a worker that never answers WebSocket pings (RFC 6455 says it must).
const socket = new WebSocket(process.env.III_URL, { autoPong: !spec.noPong });
const send = (frame) => socket.send(JSON.stringify(frame));

const functionIds = [...(spec.functionIds || [])];
for (let i = 0; i < (spec.functionCount || 0); i++) functionIds.push(`${spec.prefix || spec.name}::fn-${String(i).padStart(3, '0')}`);

const SDK_FEATURES = { '0.25': ['observe.v1', 'local-dispatch.v1', 'large-messages.v1'], '0.26': ['observe.v1', 'observe.v2', 'local-dispatch.v1', 'large-messages.v1'] };
let engineFeatures = [];

function register() {
  send({
    type: 'invokefunction',
    function_id: 'engine::workers::register',
    data: {
      runtime: 'node',
      version: spec.sdkLine ? `${spec.sdkLine}.0` : '0.23.0-rc.4',
      ...(spec.sdkLine ? { features: SDK_FEATURES[spec.sdkLine] } : {}),
      // Python SDKs send these as JSON null (iii-sdk-wire §2.2).
      ...(spec.pythonNulls ? { namespace: null, description: null } : {}),
      name: spec.name,
      os: `${process.platform} test (${process.arch})`,
      pid: process.pid,
      isolation: null,
      telemetry: { language: 'en-US', project_name: 'raw-protocol-worker', framework: 'iii-node' },
      ...(namespace ? { namespace } : {}),
    },
    action: { type: 'void' },
  });
}

const ARGS_FORMAT = { type: 'object', properties: { every: { type: 'string' } } };
const registerFunction = (id, index, extra = {}) =>
  send({
    type: 'registerfunction',
    id,
    description: `${spec.description || 'Function'} ${index}`,
    request_format: { type: 'object', properties: { n: { type: 'number' } } },
    response_format: { type: 'object', properties: { n: { type: 'number' } } },
    ...extra,
  });

// `engine::log::info` calls sent back to back in one go, as fast as a worker can: they queue up on the connection.
function floodLogs(calls) {
  for (let i = 0; i < calls; i++) {
    send({ type: 'invokefunction', invocation_id: randomUUID(), function_id: 'engine::log::info', data: { message: `flood ${i}` } });
  }
}

/** A frame split into a Text frame and Continuation frames, as Rust 0.25+ sends messages over 16 MiB. */
function sendFragmented(frame, pieces) {
  const text = JSON.stringify(frame);
  const size = Math.ceil(text.length / pieces);
  for (let i = 0; i < text.length; i += size) socket.send(text.slice(i, i + size), { fin: i + size >= text.length });
}

let sent = 0;
async function pause() {
  sent += 1;
  if (spec.delayMs && sent % (spec.pauseEvery || 1) === 0) await sleep(spec.delayMs);
}

async function onOpen() {
  if (spec.order !== 'register-last') register();
  for (const type of spec.triggerTypes || []) {
    send({ type: 'registertriggertype', id: type, description: `Trigger type ${type}` });
    await pause();
  }
  for (const [index, id] of functionIds.entries()) {
    if (spec.exitAfterFunctions === index) process.exit(3); // a crash mid-registration
    if (spec.logFlood?.afterFunctions === index) floodLogs(spec.logFlood.calls);
    if (spec.badUtf8AfterFunctions === index) socket.send(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { binary: false });
    registerFunction(id, index);
    await pause();
  }
  // 0.25: observable functions carry the `observe` descriptor (crate 0.25.0 `src/protocol.rs:780-797`).
  for (const id of spec.observableFunctions || []) registerFunction(id, 'observable', { observe: { delivery: 'owner', args_format: ARGS_FORMAT } });
  if (spec.fragmented) sendFragmented({ type: 'registerfunction', id: spec.fragmented.id, description: 'x'.repeat(spec.fragmented.bytes) }, 4);
  for (const type of spec.triggerTypes || []) {
    if (functionIds[0]) send({ type: 'registertrigger', id: randomUUID(), trigger_type: type, function_id: functionIds[0], config: {} });
  }
  if (spec.order === 'register-last') register();
  // 0.26 withholds these until the engine advertised observe.v2 (crate 0.26.0-rc.4 `register_v2_functions`, `src/iii.rs:4113-4150`).
  if (engineFeatures.includes('observe.v2')) {
    for (const id of spec.v2Functions || []) registerFunction(id, 'v2', { args_format: ARGS_FORMAT, private: true });
  }
  if (spec.observe && engineFeatures.includes('observe.v1')) {
    send({ type: 'observe', id: randomUUID(), source: { function_id: 'engine::on-functions-changed' }, target: { function_id: functionIds[0] } });
  }
  for (const late of spec.lateFunctions || []) setTimeout(() => registerFunction(late.id, -1), late.afterMs);
  if (spec.unregister) setTimeout(() => send({ type: 'unregisterfunction', id: spec.unregister.id }), spec.unregister.afterMs);
}

socket.on('message', (raw) => {
  const message = JSON.parse(String(raw));
  if (message.type === 'workerregistered') {
    engineFeatures = spec.sdkLine && Array.isArray(message.features) ? message.features : [];
    void onOpen();
  } else if (message.type === 'functionregistered' || message.type === 'observeresult') console.error(`${message.type} ${JSON.stringify(message)}`);
  else if (message.type === 'ping') send({ type: 'pong' });
  else if (message.type === 'registrationrejected') console.error(`registrationrejected ${JSON.stringify(message)}`); // 0.23 SDK: a warning
  else if (message.type === 'invokefunction' && message.invocation_id) {
    send({ type: 'invocationresult', invocation_id: message.invocation_id, function_id: message.function_id, result: message.data ?? null });
  }
});
socket.on('close', () => process.exit(0));
socket.on('error', (error) => {
  console.error(`raw-protocol-worker: ${error.message}`);
  process.exit(2);
});
process.on('SIGTERM', () => process.exit(0));
