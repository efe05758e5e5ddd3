// A worker that speaks the iii wire protocol itself over a plain WebSocket, in the order iii-sdk 0.23 uses
// (spec iii-engine-0.23 §1.2: `engine::workers::register` FIRST, then trigger types, functions, triggers), or in the
// 0.22.1 order (register last). iii-sdk 0.23 is not on npm, so the collector tests use this. Driven by the RAW_WORKER
// env (JSON, see raw-protocol-worker-process.ts); `III_URL` is the engine, `III_NAMESPACE` its namespace.
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

function register() {
  send({
    type: 'invokefunction',
    function_id: 'engine::workers::register',
    data: {
      runtime: 'node',
      version: '0.23.0-rc.4',
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

const registerFunction = (id, index) =>
  send({
    type: 'registerfunction',
    id,
    description: `${spec.description || 'Function'} ${index}`,
    request_format: { type: 'object', properties: { n: { type: 'number' } } },
    response_format: { type: 'object', properties: { n: { type: 'number' } } },
  });

// `engine::log::info` calls sent back to back in one go, as fast as a worker can: they queue up on the connection.
function floodLogs(calls) {
  for (let i = 0; i < calls; i++) {
    send({ type: 'invokefunction', invocation_id: randomUUID(), function_id: 'engine::log::info', data: { message: `flood ${i}` } });
  }
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
  for (const type of spec.triggerTypes || []) {
    if (functionIds[0]) send({ type: 'registertrigger', id: randomUUID(), trigger_type: type, function_id: functionIds[0], config: {} });
  }
  if (spec.order === 'register-last') register();
  for (const late of spec.lateFunctions || []) setTimeout(() => registerFunction(late.id, -1), late.afterMs);
  if (spec.unregister) setTimeout(() => send({ type: 'unregisterfunction', id: spec.unregister.id }), spec.unregister.afterMs);
}

socket.on('message', (raw) => {
  const message = JSON.parse(String(raw));
  if (message.type === 'workerregistered') void onOpen();
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
