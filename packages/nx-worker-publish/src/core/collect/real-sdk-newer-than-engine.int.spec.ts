import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SdkNewerThanEngineError } from './sdk-engine-check';
import { builtRustFixture, collectFixture, expectedInterface } from './test-support/collect-fixture';
import { removeTemps, tempDir } from '../../test-support/temp-dirs';

// The real Rust worker on iii-sdk 0.26.0-rc.4 (tools/fixture-workers/workers/rust-sdk-0-26) holds `rs026::on-tick`
// back from any engine without observe.v2. Against an older real engine the run must fail before the worker starts,
// naming both versions, instead of writing the two other functions as the whole interface (issue 25 §2). The pinned
// embedded generations and `auto` are in real-sdk-workers.int.spec.ts.

/** `worker-publish engine` from this package's build (npm run build): answers `--version` like `iii`, then serves. */
const CLI_MAIN = resolve(__dirname, '../../../dist/cli/main.js');
const WORKER = 'rust-sdk-0-26';

jest.setTimeout(120_000);
afterAll(removeTemps);

const collect = (options: Parameters<typeof collectFixture>[0]) =>
  collectFixture({ ...options, projectRoot: WORKER, launch: { binaryPath: builtRustFixture(WORKER) }, waitSeconds: 60 });

const external = (generation: string) => {
  if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: run npm run build first`);
  const command = `${process.execPath} ${CLI_MAIN} engine --generation ${generation}`;
  return { kind: 'external' as const, command, workDir: join(tempDir('external-engine'), 'engine') };
};

it('fails against an external engine that reports an older version', async () => {
  const error = await collect({ projectRoot: WORKER, engine: external('0.23') }).catch((e: Error) => e);
  expect(error).toBeInstanceOf(SdkNewerThanEngineError);
  expect((error as Error).message).toMatch(/newer than the external engine `.*engine --generation 0\.23` \(version 0\.23\.0\).*install iii engine 0\.26 or newer/);
});

it('is collected exactly from an external engine that reports 0.26 (its generated config has no iii-sandbox)', async () => {
  const { iface, log } = await collect({ projectRoot: WORKER, engine: external('0.26') });
  expect(iface).toEqual(expectedInterface(WORKER));
  expect(log).toMatch(/engine ready: external engine `.*engine --generation 0\.26` \(version 0\.26\.0, pid \d+\)/);
});
