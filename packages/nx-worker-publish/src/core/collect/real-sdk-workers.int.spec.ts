import type { PythonFixtureName, RustFixtureName } from '../../../../../tools/fixture-workers/fixture-builds';
import type { EngineGeneration } from '../engine/generation';
import { builtRustFixture, collectFixture, expectedInterface, requirePythonFixture } from './test-support/collect-fixture';
import { removeTemps } from '../../test-support/temp-dirs';

// Real SDK workers (tools/fixture-workers, built by `npm run fixtures`) collected on every embedded generation their
// SDK can talk to, on default options: the interface must be exactly the one written by hand from each worker's
// source (expected-interface.json). Rust workers run from their build output, Python ones from their .venv through
// scripts.start, Node ones through scripts.start.

/**
 * Where each worker is collected exactly: `auto` (the default) and every embedded generation its SDK can talk to.
 * Extend the lists as generations are added.
 */
const UP_TO_0_25: EngineGeneration[] = ['0.25', '0.23', '0.13', '0.11'];
const GENERATIONS_BY_WORKER: Record<string, Array<EngineGeneration | 'auto'>> = {
  'rust-sdk-0-11': ['auto', ...UP_TO_0_25],
  'rust-sdk-0-25': ['auto', ...UP_TO_0_25],
  'rust-sdk-0-26': ['auto', '0.26'],
  'python-sdk-0-11': ['auto', ...UP_TO_0_25],
  'python-sdk-0-25': ['auto', ...UP_TO_0_25],
  'node-sdk-0-22': ['auto', ...UP_TO_0_25],
  // No trigger types, so 0.26 (which has none) serves it too.
  'node-sdk-0-11': ['auto', '0.26', ...UP_TO_0_25],
};

/** What `auto` picks for each worker, and the file it read the SDK version from (said in the engine step line). */
const AUTO_PICKS: Record<string, string> = {
  'rust-sdk-0-11': '0.11, auto: iii-sdk 0.11.3 in rust-sdk-0-11/Cargo.toml',
  'rust-sdk-0-25': '0.25, auto: iii-sdk 0.25.0 in rust-sdk-0-25/Cargo.toml',
  'rust-sdk-0-26': '0.26, auto: iii-sdk 0.26.0-rc.4 in rust-sdk-0-26/Cargo.toml',
  'python-sdk-0-11': '0.11, auto: iii-sdk 0.11.3 in python-sdk-0-11/.venv/',
  'python-sdk-0-25': '0.25, auto: iii-sdk 0.25.0 in python-sdk-0-25/.venv/',
  'node-sdk-0-22': '0.13, auto: iii-sdk 0.22.1 in node-sdk-0-22/node_modules/iii-sdk/package.json',
  'node-sdk-0-11': '0.11, auto: iii-sdk 0.11.6 in node-sdk-0-11/node_modules/iii-sdk/package.json',
};

/**
 * Where a worker cannot be collected exactly, the run fails before writing anything: a trigger type on 0.26 (trigger
 * types were removed), a 0.26 SDK on an engine without observe.v2 (it withholds its args_format function).
 */
const REFUSED: Array<[string, EngineGeneration, RegExp]> = [
  ['rust-sdk-0-11', '0.26', /registered trigger type rs011::tick, but the engine generation 0\.26 has no trigger types/],
  ['python-sdk-0-25', '0.26', /registered trigger type py025::queue, but the engine generation 0\.26 has no trigger types/],
  ['rust-sdk-0-26', '0.25', /built on iii-sdk 0\.26\.0-rc\.4 .*newer than the embedded engine generation 0\.25 \(version 0\.25\.0\).*To fix: use engineGeneration auto or 0\.26/],
  ['rust-sdk-0-26', '0.23', /built on iii-sdk 0\.26\.0-rc\.4 .*newer than the embedded engine generation 0\.23 \(version 0\.23\.0\).*To fix: use engineGeneration auto or 0\.26/],
];

/** Collections per worker and generation in one run; `FIXTURE_REPEAT=20` gives the 20-of-20 check (minutes). */
const REPEAT = Number(process.env.FIXTURE_REPEAT ?? 1);

jest.setTimeout(60_000 + REPEAT * 30_000);

afterAll(removeTemps);

const cases = Object.entries(GENERATIONS_BY_WORKER).flatMap(([worker, generations]) => generations.map((generation) => [worker, generation] as const));

describe.each(cases)('%s on engine generation %s', (worker, generation) => {
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

test.each(REFUSED)('%s on generation %s fails loudly and writes nothing', async (worker, generation, reason) => {
  const launch = worker.startsWith('rust-') ? { binaryPath: builtRustFixture(worker as RustFixtureName) } : {};
  if (worker.startsWith('python-')) requirePythonFixture(worker as PythonFixtureName);
  const error = await collectFixture({ projectRoot: worker, generation, launch }).catch((e: Error) => e);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toMatch(reason);
  expect((error as Error).message).not.toContain('interface written');
});
