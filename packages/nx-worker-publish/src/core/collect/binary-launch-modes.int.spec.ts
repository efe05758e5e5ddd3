import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_WORKERS_DIR, makeReleaseAssets } from '../../../../../tools/fixture-workers/src';
import { startReleaseServer, type ReleaseServer } from '../release-assets/test-support/release-server';
import { builtRustFixture, collectFixture, expectedInterface } from './test-support/collect-fixture';
import { removeTemps, tempDir } from '../../test-support/temp-dirs';

// The real Rust worker on the pinned SDK (rust-sdk-0-11, built by `npm run fixtures`) in the binary launch modes
// besides cargo-run: from its release tarball, and from a build output whose folder lacks the config.yaml the worker
// insists on (the real iii-database's case, issue 25 §1).

jest.setTimeout(120_000);
afterAll(removeTemps);

const FIXTURE = 'rust-sdk-0-11';

describe('release-binary', () => {
  let server: ReleaseServer;
  beforeAll(async () => (server = await startReleaseServer({ redirect: true })));
  afterAll(() => server.close());

  it('collects the real binary from its verified release tarball exactly', async () => {
    const tag = `${FIXTURE}/v0.3.1`;
    const target = 'x86_64-unknown-linux-gnu';
    const assets = await makeReleaseAssets({ bin: FIXTURE, binary: readFileSync(builtRustFixture(FIXTURE)), targets: [target] });
    for (const asset of assets.assets) server.setAsset(`${tag}/${asset.name}`, asset.body);
    const { iface, collectedFrom, log } = await collectFixture({
      projectRoot: FIXTURE,
      launch: { launch: 'release-binary', tag, releaseBaseUrl: server.releaseBaseUrl, hostTarget: target, cacheDir: tempDir('release-cache') },
    });
    expect(iface).toEqual(expectedInterface(FIXTURE));
    expect(collectedFrom).toEqual({ launch: 'release-binary', release: tag, forced: true });
    expect(log).toContain(`launch plan: release-binary (release asset ${FIXTURE}-${target} of ${tag}`);
  });
});

describe('build-output and config.collect.yaml', () => {
  /** The fixture's iii.worker.yaml and Cargo.toml (which pins its SDK) in a fresh folder without its config.yaml. */
  function workerWithoutConfig(): { root: string; dir: string } {
    const root = tempDir('no-config');
    const dir = join(root, FIXTURE);
    mkdirSync(dir);
    for (const file of ['iii.worker.yaml', 'Cargo.toml']) copyFileSync(join(FIXTURE_WORKERS_DIR, FIXTURE, file), join(dir, file));
    return { root, dir };
  }
  const launch = { binaryPath: builtRustFixture(FIXTURE) };

  it('passes config.collect.yaml to a build output, as to the other binary modes', async () => {
    const { root, dir } = workerWithoutConfig();
    writeFileSync(join(dir, 'config.collect.yaml'), 'greeting: Hi\n');
    const { iface, collectedFrom, result } = await collectFixture({ workspaceRoot: root, projectRoot: FIXTURE, launch });
    expect(iface).toEqual(expectedInterface(FIXTURE));
    expect(result.plan.mode).toBe('build-output');
    expect(collectedFrom).toEqual({ launch: 'build-output', forced: true }); // binaryPath chose it
    expect(result.plan.args).toEqual(['--url', '{engineUrl}', '--config', './config.collect.yaml']);
  });

  it('fails with the worker\'s last lines and names config.collect.yaml when the binary exits for want of its config', async () => {
    const { root } = workerWithoutConfig();
    const error = await collectFixture({ workspaceRoot: root, projectRoot: FIXTURE, launch }).catch((e: Error) => e);
    const message = (error as Error).message;
    expect(message).toContain('worker exited with code 1 before it registered');
    expect(message).toContain('Error: loading config from ./config.yaml');
    expect(message).toContain('put a config.collect.yaml beside iii.worker.yaml');
  });
});
