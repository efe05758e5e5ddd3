import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRawWorker, stopChild } from '../collector/test-support/raw-protocol-worker-process';
import { startEmbeddedEngine, type ConnectionFailure, type RunningEngine } from './embedded-engine';

jest.setTimeout(120_000);

const FLOOD_CALLS = 30_000;
const CAP_BYTES = 256 * 1024;

describe('the embedded engine log', () => {
  let dir: string;
  let engine: RunningEngine | undefined;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'engine-log-flood-'))));
  afterEach(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says why the engine closed a worker that sent a text frame that is not UTF-8, and tells onConnectionFailed', async () => {
    const logFile = join(dir, 'engine.log');
    engine = await startEmbeddedEngine({ generation: '0.23', logFile });
    const failures: ConnectionFailure[] = [];
    engine.onConnectionFailed((failure) => failures.push(failure));
    const worker = startRawWorker(engine.url, { name: 'garbler', functionIds: ['garbler::a', 'garbler::b'], badUtf8AfterFunctions: 1 });
    try {
      const closed = new Promise((resolve) => worker.once('exit', resolve)); // the raw worker exits when its socket closes
      await closed;
      expect(failures).toEqual([{ workerId: expect.any(String), workerName: 'garbler', reason: 'Invalid WebSocket frame: invalid UTF-8 sequence (WS_ERR_INVALID_UTF8)' }]);
      await engine.flushLog();
      expect(readFileSync(logFile, 'utf8')).toMatch(
        /ERROR worker garbler \([0-9a-f-]+\): connection closed by the engine: Invalid WebSocket frame: invalid UTF-8 sequence \(WS_ERR_INVALID_UTF8\)\n/,
      );
    } finally {
      await stopChild(worker);
    }
  });

  it('keeps the log file within logMaxBytes at every moment under a flood of engine::log::info calls, and keeps its newest lines', async () => {
    const logFile = join(dir, 'engine.log');
    engine = await startEmbeddedEngine({ generation: '0.23', logFile, logMaxBytes: CAP_BYTES });
    let largest = 0;
    const sampler = setInterval(() => (largest = Math.max(largest, statSync(logFile).size)), 2);
    // A real process that sends all its calls back to back (about 3 MB of log lines, 12 times the cap).
    const worker = startRawWorker(engine.url, { name: 'flooder', functionIds: ['flooder::a', 'flooder::b'], logFlood: { afterFunctions: 1, calls: FLOOD_CALLS } });
    try {
      const lastLine = `flood ${FLOOD_CALLS - 1}`;
      const deadline = Date.now() + 90_000;
      while (!engine.logTail(5).includes(lastLine) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await engine.flushLog();
      clearInterval(sampler);
      largest = Math.max(largest, statSync(logFile).size);

      const text = readFileSync(logFile, 'utf8');
      expect(largest).toBeLessThanOrEqual(CAP_BYTES);
      expect(text.split('\n')[0]).toMatch(/^\[engine\.log was cut: it keeps its last 0\.25 MiB \(logMaxMiB\); [\d.]+ MiB of earlier output were dropped\]$/);
      expect(engine.logTail(1).split('\n')[0]).toMatch(/^\[engine\.log was cut: /); // a shown tail says so too
      expect(text.trimEnd().split('\n').pop()).toMatch(new RegExp(`INFO  \\[flooder \\([0-9a-f-]+\\)\\] ${lastLine}$`));
    } finally {
      clearInterval(sampler);
      await stopChild(worker);
    }
  });
});
