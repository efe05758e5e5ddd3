import type { PythonFixtureName, RustFixtureName } from '../../../../../tools/fixture-workers/fixture-builds';
import type { EngineGeneration } from '../engine/generation';
import { builtRustFixture, collectFixture, expectedInterface, removeTemps, requirePythonFixture } from './test-support/collect-fixture';

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

afterAll(removeTemps);

const cases = Object.entries(GENERATIONS_BY_WORKER).flatMap(([worker, generations]) => generations.map((generation) => [worker, generation] as const));

describe.each(cases)('%s on the embedded %s engine', (worker, generation) => {
  it(`collects exactly the hand-written interface, ${REPEAT} of ${REPEAT} times`, async () => {
    const expected = expectedInterface(worker);
    for (let run = 1; run <= REPEAT; run++) {
      if (worker.startsWith('python-')) requirePythonFixture(worker as PythonFixtureName);
      const launch = worker.startsWith('rust-') ? { binaryPath: builtRustFixture(worker as RustFixtureName) } : {};
      const { iface, log } = await collectFixture({ projectRoot: worker, generation, launch });
      expect({ run, iface }).toEqual({ run, iface: expected });
      expect(log).toContain(`launch plan: ${worker.startsWith('rust-') ? 'build-output' : 'start-script'}`);
    }
  });
});
