import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ReleaseAssetError } from './release-asset-error';
import { DEFAULT_RELEASE_TARGETS, isWindowsTarget } from './release-targets';
import { resolveBinariesMap, type ResolveBinariesMapOptions } from './resolve-binaries-map';
import { type ReleaseServer, startReleaseServer } from './test-support/release-server';
import { sha256Hex } from './test-support/tarball';

const TAG = 'image-resize/v0.1.7';
const BIN = 'image-resize';

describe('resolveBinariesMap (real HTTP servers on 127.0.0.1)', () => {
  let server: ReleaseServer;
  let warnings: string[];
  beforeEach(async () => {
    server = await startReleaseServer();
    warnings = [];
  });
  afterEach(() => server.close());

  /** Uploads the checksum file of each target the way the release job does. */
  const release = (targets: readonly string[]) =>
    Object.fromEntries(
      targets.map((target) => {
        const sha = sha256Hex(`archive of ${target}`);
        server.setAsset(`${TAG}/${BIN}-${target}.sha256`, `${sha}  ${BIN}-${target}.${isWindowsTarget(target) ? 'zip' : 'tar.gz'}\n`);
        return [target, sha];
      }),
    );
  const options = (overrides: Partial<ResolveBinariesMapOptions> = {}): ResolveBinariesMapOptions => ({
    releaseBaseUrl: server.releaseBaseUrl,
    tag: TAG,
    bin: BIN,
    retry: { attempts: 2, baseDelayMs: 5 },
    log: (line) => warnings.push(line),
    ...overrides,
  });
  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ReleaseAssetError);
    return error as ReleaseAssetError;
  };

  it('builds the map for all 9 targets, in target order, through the redirect', async () => {
    const shas = release(DEFAULT_RELEASE_TARGETS);

    const binaries = await resolveBinariesMap(options());

    expect(Object.keys(binaries)).toEqual([...DEFAULT_RELEASE_TARGETS]);
    for (const target of DEFAULT_RELEASE_TARGETS) {
      const extension = isWindowsTarget(target) ? 'zip' : 'tar.gz';
      expect(binaries[target]).toEqual({ url: `${server.releaseBaseUrl}/${TAG}/${BIN}-${target}.${extension}`, sha256: shas[target] });
    }
    expect(server.requests.filter((r) => r.server === 'storage')).toHaveLength(9);
    // Only checksums are fetched; archives are never downloaded to build the map.
    expect(server.requests.every((r) => r.asset.endsWith('.sha256'))).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('fails listing every missing target and its URL', async () => {
    release(DEFAULT_RELEASE_TARGETS.filter((t) => t !== 'x86_64-unknown-linux-musl' && t !== 'i686-pc-windows-msvc'));

    const error = await failure(resolveBinariesMap(options()));

    expect(error.kind).toBe('missing-targets');
    expect(error.message).toContain('2 of 9 targets');
    for (const target of ['x86_64-unknown-linux-musl', 'i686-pc-windows-msvc']) {
      expect(error.message).toContain(`${target} (${server.releaseBaseUrl}/${TAG}/${BIN}-${target}.sha256: HTTP 404)`);
    }
    expect(error.message).toContain('allowMissingTargets');
  });

  it('leaves missing targets out with a warning when allowMissingTargets', async () => {
    release(['x86_64-unknown-linux-gnu', 'aarch64-apple-darwin']);

    const binaries = await resolveBinariesMap(options({ allowMissingTargets: true }));

    expect(Object.keys(binaries)).toEqual(['aarch64-apple-darwin', 'x86_64-unknown-linux-gnu']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('leaving 7 target(s) out');
    expect(warnings[0]).toContain(`${BIN}-x86_64-unknown-linux-musl.sha256`);
  });

  it('fails when every target is missing, even with allowMissingTargets', async () => {
    const error = await failure(resolveBinariesMap(options({ allowMissingTargets: true, targets: ['x86_64-unknown-linux-gnu'] })));
    expect(error.message).toContain('none of the targets has a checksum file');
  });

  it('says the release server could not be reached, each cause once, when no target got an answer (not that the release is incomplete)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve)); // nothing listens there now: every GET is refused
    const releaseBaseUrl = `http://127.0.0.1:${port}/releases/download`;

    const error = await failure(resolveBinariesMap(options({ releaseBaseUrl })));

    expect(error.kind).toBe('network');
    expect(error.message).toContain(`Could not read the checksums of release ${TAG}: the release server at ${releaseBaseUrl} did not answer for any of the 9 targets`);
    expect(error.message.match(/ECONNREFUSED/g)).toHaveLength(1);
    expect(error.message).not.toContain('incomplete');
  });

  it('honours a custom target list and retries a 5xx', async () => {
    const shas = release(['x86_64-unknown-linux-gnu']);
    server.failNext(`${TAG}/${BIN}-x86_64-unknown-linux-gnu.sha256`, { status: 503 });

    expect(await resolveBinariesMap(options({ targets: ['x86_64-unknown-linux-gnu'] }))).toEqual({
      'x86_64-unknown-linux-gnu': { url: `${server.releaseBaseUrl}/${TAG}/${BIN}-x86_64-unknown-linux-gnu.tar.gz`, sha256: shas['x86_64-unknown-linux-gnu'] },
    });
  });

  it('always fails on a malformed checksum file, naming its URL', async () => {
    release(['x86_64-unknown-linux-gnu']);
    server.setAsset(`${TAG}/${BIN}-aarch64-apple-darwin.sha256`, 'oops');

    const error = await failure(
      resolveBinariesMap(options({ allowMissingTargets: true, targets: ['x86_64-unknown-linux-gnu', 'aarch64-apple-darwin'] })),
    );

    expect(error.kind).toBe('bad-checksum-file');
    expect(error.message).toContain(`${BIN}-aarch64-apple-darwin.sha256`);
  });

  it('sends the token to the release host only', async () => {
    release(['x86_64-unknown-linux-gnu']);
    await resolveBinariesMap(options({ targets: ['x86_64-unknown-linux-gnu'], githubToken: 'tok' }));
    expect(server.requests.map((r) => [r.server, r.authorization])).toEqual([
      ['origin', 'Bearer tok'],
      ['storage', undefined],
    ]);
  });
});
