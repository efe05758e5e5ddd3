import type { PythonFixtureName, RustFixtureName } from '../../../../../tools/fixture-workers/fixture-builds';
import type { EngineGeneration } from '../engine/generation';
import { builtRustFixture, collectFixture, expectedInterface, removeTemps, requirePythonFixture } from './test-support/collect-fixture';

// Real SDK workers (tools/fixture-workers, built by `npm run fixtures`) collected on every embedded generation their
// SDK can talk to, on default options: the interface must be exactly the one written by hand from each worker's
// source (expected-interface.json). Rust workers run from their build output, Python ones from their .venv through
// scripts.start, Node ones through scripts.start.

/**
 * Which generations each worker is collected on: `auto` (the default) and every generation its SDK can talk to. A 0.26
 * SDK withholds its `args_format` functions from every engine without `observe.v2` (spec iii-sdk-wire §2.1), so it
 * runs on 0.26 only (real-sdk-newer-than-engine.int.spec.ts shows the others fail); 0.26 has no trigger types, so
 * workers that register one are not collected there.
 */
const GENERATIONS_BY_WORKER: Record<string, Array<EngineGeneration | 'auto'>> = {
  'rust-sdk-0-11': ['auto', '0.25', '0.23', '0.13', '0.11'],
  'rust-sdk-0-25': ['auto', '0.25', '0.23', '0.13', '0.11'],
  'rust-sdk-0-26': ['auto', '0.26'],
  'python-sdk-0-11': ['auto', '0.23', '0.13', '0.11'],
  'python-sdk-0-25': ['auto', '0.25', '0.23', '0.13', '0.11'],
  'node-sdk-0-22': ['auto', '0.23', '0.13', '0.11'],
  'node-sdk-0-11': ['auto', '0.23', '0.13', '0.11'],
};

/** What `auto` picks for each, from the SDK version it reads (node-sdk-0-11 loads 0.11.6 through an npm alias the reader does not follow). */
const AUTO_PICKS: Record<string, string> = {
  'rust-sdk-0-11': '0.11, auto: iii-sdk 0.11.3 in rust-sdk-0-11/Cargo.toml',
  'rust-sdk-0-25': '0.25, auto: iii-sdk 0.25.0 in rust-sdk-0-25/Cargo.toml',
  'rust-sdk-0-26': '0.26, auto: iii-sdk 0.26.0-rc.4 in rust-sdk-0-26/Cargo.toml',
  'python-sdk-0-11': '0.11, auto: iii-sdk 0.11.3 in python-sdk-0-11/.venv/',
  'python-sdk-0-25': '0.25, auto: iii-sdk 0.25.0 in python-sdk-0-25/.venv/',
  'node-sdk-0-22': '0.13, auto: iii-sdk 0.22.1 in ',
  'node-sdk-0-11': '0.13, auto: iii-sdk 0.22.1 in ',
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
      if (generation === 'auto') expect(log).toContain(`engine ready: embedded engine (${AUTO_PICKS[worker]}`);
    }
  });
});
