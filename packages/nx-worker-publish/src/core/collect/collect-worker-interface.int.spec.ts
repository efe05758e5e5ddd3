import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CALC_IMAGE_MANIFEST, CALC_PACKAGE_JSON, CALC_START_SCRIPT } from '../../executors/test-support/calc-worker';
import { createTempWorkspace, type TempWorkspace } from '../../executors/test-support/temp-workspace';
import { readWorkerManifest } from '../manifest';
import { ConnectionFailedError } from '../collector/connection-failure';
import { bufferedReporter } from '../reporter/step-reporter';
import { collectWorkerInterface, type CollectRequest } from './collect-worker-interface';

jest.setTimeout(30_000);

describe('collectWorkerInterface: settling, seen from the whole collection', () => {
  let workspace: TempWorkspace;
  afterEach(() => workspace.remove());

  const request = (workerJs: string, settleSeconds: number) => {
    workspace = createTempWorkspace({ worker: 'calc', files: { 'package.json': CALC_PACKAGE_JSON, 'iii.worker.yaml': CALC_IMAGE_MANIFEST, 'worker.js': workerJs } });
    const reporter = bufferedReporter(true);
    const collect: CollectRequest = {
      workspaceRoot: workspace.root,
      projectRoot: workspace.projectRoot,
      worker: 'calc',
      manifest: readWorkerManifest(workspace.workerDir),
      launch: { launch: 'auto' },
      engine: { kind: 'embedded', generation: '0.23' },
      waitSeconds: 20,
      settleSeconds,
      outputFile: join(workspace.root, 'out', 'worker-interface.json'),
      logDir: join(workspace.root, 'logs'),
      reporter,
    };
    return { collect, reporter };
  };

  it('says what it waited for, and times the last registration change to the written file', async () => {
    const { collect, reporter } = request(CALC_START_SCRIPT, 0.3);
    const result = await collectWorkerInterface(collect);
    expect(reporter.text()).toMatch(/✔ worker registered: calc \(matched by name, 2 functions, 1 trigger type, settled for 0\.3 s\)/);
    // The file is written only after the registration has been quiet for the whole window.
    expect(result.timings.last_registration_to_interface).toBeGreaterThanOrEqual(300);
    expect(JSON.parse(readFileSync(collect.outputFile, 'utf8')).functions).toHaveLength(2);
  });

  it('says when it did not wait (settleSeconds 0)', async () => {
    const { collect, reporter } = request(CALC_START_SCRIPT, 0);
    await collectWorkerInterface(collect);
    expect(reporter.text()).toMatch(/✔ worker registered: calc \(matched by name, \d functions?(, 1 trigger type)?, not waited to settle: settleSeconds is 0\)/);
  });

  it('collects a function an iii-sdk worker registers behind 30,000 engine::log::info calls', async () => {
    const flooding = `
const { registerWorker, TriggerAction } = require('iii-sdk');
const iii = registerWorker(process.env.III_URL, { workerName: 'calc', otel: { enabled: false }, enableMetricsReporting: false });
iii.registerFunction('calc::first', async () => ({}));
setTimeout(() => {
  for (let i = 0; i < 30000; i++) iii.trigger({ function_id: 'engine::log::info', payload: { message: 'flood ' + i }, action: TriggerAction.Void() });
  iii.registerFunction('calc::second', async () => ({}));
}, 300);
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
`;
    const { collect } = request(flooding, 0.5);
    collect.waitSeconds = 90;
    const result = await collectWorkerInterface(collect);
    expect(result.iface.functions.map((f) => f.name)).toEqual(['calc::first', 'calc::second']);
  }, 120_000);

  it('fails naming the cause, and writes nothing, when the engine closes the worker for a text frame that is not UTF-8', async () => {
    const badBytes = `
const WebSocket = require('ws');
const socket = new WebSocket(process.env.III_URL);
const send = (frame) => socket.send(JSON.stringify(frame));
socket.on('message', (raw) => {
  if (JSON.parse(String(raw)).type !== 'workerregistered') return;
  send({ type: 'invokefunction', function_id: 'engine::workers::register', data: { name: 'calc', runtime: 'node', pid: process.pid }, action: { type: 'void' } });
  send({ type: 'registerfunction', id: 'calc::first' });
  socket.send(Buffer.from('{"type":"registerfunction","id":"calc::\xff"}', 'latin1'), { binary: false });
  send({ type: 'registerfunction', id: 'calc::second' });
});
socket.on('close', () => process.exit(1)); // exits at once: the closed connection must still be named as the cause
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
`;
    const { collect, reporter } = request(badBytes, 0.5);
    const error = await collectWorkerInterface(collect).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionFailedError);
    expect(error.message).toMatch(/the engine closed its connection "calc" \(id [0-9a-f-]+\) while collecting worker calc: Invalid WebSocket frame: invalid UTF-8 sequence \(WS_ERR_INVALID_UTF8\)/);
    expect(reporter.text()).toMatch(/ERROR worker calc \([0-9a-f-]+\): connection closed by the engine: Invalid WebSocket frame: invalid UTF-8 sequence/);
    expect(existsSync(collect.outputFile)).toBe(false);
  });

  it('says it did not wait for any settleSeconds below the safe floor, as for 0 (1e-9)', async () => {
    const { collect, reporter } = request(CALC_START_SCRIPT, 1e-9);
    await collectWorkerInterface(collect);
    expect(reporter.text()).toMatch(/✔ worker registered: calc \(.*, not waited to settle: settleSeconds is 1e-9 \(below the 0\.1 s floor\)\)/);
  });

  it('fails with the worker log tail, and writes nothing, when the worker dies while its registration settles', async () => {
    const crashing = `${CALC_START_SCRIPT}\nsetTimeout(() => { console.error('calc: lost the database connection'); process.exit(4); }, 300);\n`;
    const { collect, reporter } = request(crashing, 2);
    const error = await collectWorkerInterface(collect).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(`${error.message}\n${reporter.text()}`).toContain('calc: lost the database connection');
    expect(existsSync(collect.outputFile)).toBe(false);
  });
});
