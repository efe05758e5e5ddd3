import { startRegistryServer, type RegistryServer } from '@nx-worker-publish/registry-server';
import { captureOutput, type CapturedOutput } from '../test-support/capture-output';
import { executorContext } from '../test-support/executor-context';
import { isolateEnv } from '../test-support/isolated-env';
import { createTempWorkspace, type TempWorkspace } from '../test-support/temp-workspace';
import finalizeRelease from './executor';
import type { FinalizeReleaseExecutorSchema } from './schema';

jest.setTimeout(60_000);

const API_KEY = 'wpk_finalize_SECRET_k3y';

describe('finalize-release executor (registry stand-in on 127.0.0.1)', () => {
  let registry: RegistryServer;
  let output: CapturedOutput;
  let restoreEnv: () => void;
  let workspace: TempWorkspace;

  beforeEach(async () => {
    restoreEnv = isolateEnv();
    process.env.WORKERS_REGISTRY_API_KEY = API_KEY;
    output = captureOutput();
    registry = await startRegistryServer({ apiKey: API_KEY });
    const image = (version: string) => ({
      worker_name: 'calc', version, type: 'image', readme: '', repo: 'https://github.com/x/y', description: null, dependencies: [], config: {},
      functions: [], triggers: [], experimental: false, image_tag: `ghcr.io/x/calc:${version}`,
    });
    registry.seedVersion(image('1.3.0'));
    registry.seedVersion(image('1.4.0-rc.2'));
    registry.seedChannel('calc', 'latest', '1.3.0');
    registry.seedChannel('calc', 'next', '1.4.0-rc.2');
    workspace = createTempWorkspace({ worker: 'calc', files: { 'iii.worker.yaml': 'iii: v1\nname: calc\ndeploy: image\n' } });
  });
  afterEach(async () => {
    output.restore();
    restoreEnv();
    await registry.stop();
    workspace.remove();
    expect(output.text()).not.toContain(API_KEY);
  });

  const finalize = (options: FinalizeReleaseExecutorSchema) => finalizeRelease({ apiUrl: registry.url, ...options }, executorContext(workspace, 'finalize-release'));
  const writes = () => registry.requests.filter((r) => r.method !== 'GET' && r.path !== '/resolve');

  it('finalizes the rc on next as the tag\'s stable version, proved on both channels', async () => {
    expect(await finalize({ tag: 'calc/v1.4.0' })).toEqual({ success: true });
    expect(output.lines()).toContain('✔ finalized calc 1.4.0-rc.2 as 1.4.0: latest and next point to 1.4.0 (was latest 1.3.0, next 1.4.0-rc.2)');
    expect([registry.channel('calc', 'latest'), registry.channel('calc', 'next')]).toEqual(['1.4.0', '1.4.0']);
  });

  it.each<[string, FinalizeReleaseExecutorSchema, string]>([
    ['a tag of another worker', { tag: 'other/v1.4.0' }, 'The tag other/v1.4.0 names worker other, but this project publishes calc'],
    ['an rc tag', { tag: 'calc/v1.4.0-rc.2' }, 'calc/v1.4.0-rc.2 is not a stable release tag'],
    ['a release tag for next', { tag: 'calc/v1.4.0', registryTag: 'next' }, 'next takes only prerelease versions and 1.4.0 is stable'],
    ['an unknown channel', { tag: 'calc/v1.4.0', registryTag: 'beta' }, 'The `registryTag` option is "beta", but it must be next or latest'],
    ['no tag', {}, 'finalize-release needs the stable release tag'],
  ])('refuses %s before any request', async (_case, options, expected) => {
    expect(await finalize(options)).toEqual({ success: false });
    expect(output.text()).toContain(expected);
    expect(registry.requests).toEqual([]);
  });

  it('a missing key fails before anything is sent; a dry run needs none and writes nothing', async () => {
    delete process.env.WORKERS_REGISTRY_API_KEY;
    expect(await finalize({ tag: 'calc/v1.4.0' })).toEqual({ success: false });
    expect(registry.requests).toEqual([]);
    expect(await finalize({ tag: 'calc/v1.4.0', dryRun: true })).toEqual({ success: true });
    expect(output.lines()).toContain('✔ would finalize calc 1.4.0-rc.2 as 1.4.0 (latest 1.3.0 → 1.4.0, next 1.4.0-rc.2 → 1.4.0)');
    expect(writes()).toEqual([]);
  });
});
