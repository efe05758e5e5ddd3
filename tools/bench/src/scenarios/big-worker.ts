/**
 * A big worker: 20,000 functions registered over one connection. Times the collector's read of the settled
 * interface (`functions::info` in batches of 32, pipelined) and the settle proof on a quiet worker (the ping whose
 * pong shows the engine has processed everything the worker sent).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InterfaceCollector } from 'nx-worker-publish/dist/core/collector/interface-collector';
import { startEmbeddedEngine } from 'nx-worker-publish/dist/core/engine/embedded-engine';
import { connectEngine } from 'nx-worker-publish/dist/core/engine-client/engine-client';
import { repeat, summarize, type Summary } from '../lib/stats';
import type { TempSpace } from '../lib/temp-space';

export const BIG_WORKER_FUNCTIONS = 20_000;

export interface BigWorkerResults {
  functions: number;
  /** Settled → interface read (every function with its schemas). */
  read: Summary;
  /** One settle proof on the quiet worker. */
  settle_proof: Summary;
}

/** A worker on a bare WebSocket: declares itself, then sends all its registrations back to back. */
const WORKER_SCRIPT = `
const WebSocket = require(process.env.WS_MODULE);
const socket = new WebSocket(process.env.III_URL);
const send = (frame) => socket.send(JSON.stringify(frame));
const schema = { type: 'object', properties: { n: { type: 'number' } } };
socket.on('message', (raw) => {
  if (JSON.parse(String(raw)).type !== 'workerregistered') return;
  send({ type: 'invokefunction', function_id: 'engine::workers::register', data: { name: 'big', runtime: 'node', pid: process.pid }, action: { type: 'void' } });
  for (let i = 0; i < Number(process.env.FUNCTIONS); i++) {
    send({ type: 'registerfunction', id: 'big::fn-' + i, description: 'Function ' + i, request_format: schema, response_format: schema });
  }
});
socket.on('close', () => process.exit(0));
`;

export async function benchBigWorker(space: TempSpace, runs: number, log: (line: string) => void): Promise<BigWorkerResults> {
  const script = join(space.dir('big-worker'), 'big-worker.js');
  writeFileSync(script, WORKER_SCRIPT);
  const proofs: number[] = [];
  const read = await repeat(runs, 0, async (run) => {
    const engine = await startEmbeddedEngine();
    const client = await connectEngine(engine.url);
    const env = { ...process.env, III_URL: engine.url, FUNCTIONS: String(BIG_WORKER_FUNCTIONS), WS_MODULE: require.resolve('ws') };
    const worker = spawn(process.execPath, [script], { env, stdio: 'ignore' });
    try {
      const collector = await InterfaceCollector.start(client);
      const settled = await collector.waitForWorker({ worker: 'big', timeoutMs: 300_000, caughtUp: engine.caughtUp });
      const proofStarted = performance.now();
      await engine.caughtUp(settled.worker.id);
      proofs.push(performance.now() - proofStarted);
      const started = performance.now();
      const iface = await collector.readInterface(settled, 'big');
      const readMs = performance.now() - started;
      if (iface.functions.length !== BIG_WORKER_FUNCTIONS) throw new Error(`bench: read ${iface.functions.length} functions, expected ${BIG_WORKER_FUNCTIONS}`);
      log(`  run ${run + 1}: ${BIG_WORKER_FUNCTIONS} functions read in ${readMs.toFixed(0)} ms after settling; settle proof ${proofs.at(-1)!.toFixed(1)} ms`);
      return readMs;
    } finally {
      worker.kill('SIGKILL');
      await client.close();
      await engine.stop();
    }
  });
  return { functions: BIG_WORKER_FUNCTIONS, read, settle_proof: summarize(proofs) };
}
