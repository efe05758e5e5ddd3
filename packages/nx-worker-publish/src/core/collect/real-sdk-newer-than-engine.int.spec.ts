import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SdkNewerThanEngineError } from './sdk-engine-check';
import { builtRustFixture, collectFixture, expectedInterface, removeTemps, tempDir } from './test-support/collect-fixture';

// The real Rust worker on iii-sdk 0.26.0-rc.4 (tools/fixture-workers/workers/rust-sdk-0-26) holds `rs026::on-tick`
// back from any engine without observe.v2. Against an older engine the run must fail before the worker starts,
// naming both versions, instead of writing the two other functions as the whole interface (issue 25 §2).

/** `worker-publish engine` from this package's build (npm run build): answers `--version` like `iii`, then serves. */
const CLI_MAIN = resolve(__dirname, '../../../dist/cli/main.js');
const WORKER = 'rust-sdk-0-26';

jest.setTimeout(120_000);
afterAll(removeTemps);

const collect = (options: Parameters<typeof collectFixture>[0]) =>
  collectFixture({ ...options, projectRoot: WORKER, launch: { binaryPath: builtRustFixture(WORKER) }, waitSeconds: 60 });

it.each(['0.25', '0.23'] as const)('fails on a pinned %s generation, naming both versions and the fix', async (generation) => {
  const error = await collect({ projectRoot: WORKER, generation }).catch((e: Error) => e);
  expect(error).toBeInstanceOf(SdkNewerThanEngineError);
  expect((error as Error).message).toMatch(
    new RegExp(
      `^worker rust-sdk-0-26 is built on iii-sdk 0\\.26\\.0-rc\\.4 \\(rust-sdk-0-26/Cargo\\.toml\\), newer than the embedded engine generation ` +
        `${generation.replace('.', '\\.')} \\(version ${generation.replace('.', '\\.')}\\.0\\).*To fix: use engineGeneration auto or 0\\.26`,
    ),
  );
  expect((error as Error).message).not.toContain('worker registered'); // it failed before the worker was waited for
});

it('fails against an external engine that reports an older version', async () => {
  if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: run npm run build first`);
  const command = `${process.execPath} ${CLI_MAIN} engine --generation 0.23`;
  const error = await collect({ projectRoot: WORKER, engine: { kind: 'external', command, workDir: join(tempDir('external-engine'), 'engine') } }).catch(
    (e: Error) => e,
  );
  expect(error).toBeInstanceOf(SdkNewerThanEngineError);
  expect((error as Error).message).toMatch(/newer than the external engine `.*engine --generation 0\.23` \(version 0\.23\.0\).*install iii engine 0\.26 or newer/);
});

it('is collected exactly on auto, which picks 0.26 from its Cargo.toml', async () => {
  const { iface, log } = await collect({ projectRoot: WORKER });
  expect(iface).toEqual(expectedInterface(WORKER));
  expect(log).toContain('engine ready: embedded engine (0.26, auto: iii-sdk 0.26.0-rc.4 in rust-sdk-0-26/Cargo.toml)');
});
