import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_WORKERS_DIR } from '../../../../../tools/fixture-workers/src';
import { rustFixtureBinary, type RustFixtureName } from '../../../../../tools/fixture-workers/fixture-builds';
import type { EngineGeneration } from '../engine/generation';
import { readWorkerManifest } from '../manifest';
import { bufferedReporter } from '../reporter/step-reporter';
import { collectWorkerInterface, type CollectRequest } from './collect-worker-interface';

// Real SDK workers (tools/fixture-workers, built by `npm run fixtures`) collected on every embedded generation their
// SDK can talk to, on default options: the interface must be exactly the one written by hand from each worker's
// source (expected-interface.json). Rust workers run from their build output, Python ones from their .venv through
// scripts.start, Node ones through scripts.start.

/**
 * Which generations each worker is collected on. A 0.26 SDK withholds its `args_format` functions from every engine
 * without `observe.v2` (spec iii-sdk-wire §2.1), so it has no entry until a generation that advertises it exists.
 * Extend the lists as generations are added.
 */
const GENERATIONS_BY_WORKER: Record<string, EngineGeneration[]> = {
  'rust-sdk-0-11': ['0.23', '0.13', '0.11'],
  'rust-sdk-0-25': ['0.23', '0.13', '0.11'],
  'python-sdk-0-11': ['0.23', '0.13', '0.11'],
  'python-sdk-0-25': ['0.23', '0.13', '0.11'],
  'node-sdk-0-22': ['0.23', '0.13', '0.11'],
  'node-sdk-0-11': ['0.23', '0.13', '0.11'],
};

/** Collections per worker and generation in one run; `FIXTURE_REPEAT=20` gives the 20-of-20 check (minutes). */
const REPEAT = Number(process.env.FIXTURE_REPEAT ?? 1);

jest.setTimeout(60_000 + REPEAT * 30_000);

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const expectedInterface = (worker: string) => JSON.parse(readFileSync(join(FIXTURE_WORKERS_DIR, worker, 'expected-interface.json'), 'utf8'));

async function collect(worker: string, generation: EngineGeneration) {
  const out = mkdtempSync(join(tmpdir(), `real-sdk-${worker}-`));
  temps.push(out);
  const reporter = bufferedReporter(true);
  const request: CollectRequest = {
    workspaceRoot: FIXTURE_WORKERS_DIR,
    projectRoot: worker,
    worker,
    manifest: readWorkerManifest(join(FIXTURE_WORKERS_DIR, worker)),
    launch: worker.startsWith('rust-') ? { binaryPath: rustFixtureBinary(worker as RustFixtureName) } : {},
    engine: { kind: 'embedded', generation },
    waitSeconds: 30,
    outputFile: join(out, 'worker-interface.json'),
    logDir: out,
    reporter,
  };
  try {
    await collectWorkerInterface(request);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${reporter.text()}`);
  }
  return { iface: JSON.parse(readFileSync(request.outputFile, 'utf8')), log: reporter.text() };
}

const cases = Object.entries(GENERATIONS_BY_WORKER).flatMap(([worker, generations]) => generations.map((generation) => [worker, generation] as const));

describe.each(cases)('%s on the embedded %s engine', (worker, generation) => {
  it(`collects exactly the hand-written interface, ${REPEAT} of ${REPEAT} times`, async () => {
    const expected = expectedInterface(worker);
    for (let run = 1; run <= REPEAT; run++) {
      const { iface, log } = await collect(worker, generation);
      expect({ run, iface }).toEqual({ run, iface: expected });
      expect(log).toContain(`launch plan: ${worker.startsWith('rust-') ? 'build-output' : 'start-script'}`);
    }
  });
});
