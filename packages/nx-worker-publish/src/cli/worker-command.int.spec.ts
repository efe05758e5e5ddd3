import { startRegistryServer, type RegistryServer } from '@nx-worker-publish/registry-server';
import { join } from 'node:path';
import { serializeInterface } from '../core/interface/worker-interface';
import { CALC_IMAGE_MANIFEST, CALC_INTERFACE, CALC_PACKAGE_JSON, CALC_START_SCRIPT } from '../executors/test-support/calc-worker';
import { processesRunningIn } from '../executors/test-support/leftover-processes';
import { createTempWorkspace, type TempWorkspace } from '../executors/test-support/temp-workspace';
import { loadExeca } from '../core/load-execa';

jest.setTimeout(60_000);

// The bin as users run it (built by `npm run build`, which `npm test` runs first).
const CLI = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const API_KEY = 'wpk_cli_Q7zSECRETx4';

describe('worker-publish collect / publish (the targets without Nx)', () => {
  let workspace: TempWorkspace;
  let registry: RegistryServer;

  beforeEach(async () => {
    workspace = createTempWorkspace({
      worker: 'calc',
      files: { 'package.json': CALC_PACKAGE_JSON, 'iii.worker.yaml': CALC_IMAGE_MANIFEST, 'worker.js': CALC_START_SCRIPT },
    });
    registry = await startRegistryServer({ apiKey: API_KEY });
  });
  afterEach(async () => {
    await registry.stop();
    workspace.remove();
  });

  const cli = async (args: string[], env: Record<string, string> = {}, cwd = workspace.root) => {
    const { execa } = await loadExeca();
    const cleanEnv = { ...process.env, ...env };
    for (const name of ['GITHUB_ACTIONS', 'GITHUB_REPOSITORY', 'GITHUB_SERVER_URL', 'NX_DRY_RUN', 'WORKERS_REGISTRY_API_KEY']) {
      if (!(name in env)) delete cleanEnv[name];
    }
    return execa(process.execPath, [CLI, ...args], { cwd, env: cleanEnv, extendEnv: false, reject: false, all: true });
  };

  it('collects into dist/<folder>, then publishes that interface to the registry', async () => {
    const collect = await cli(['collect', 'workers/calc']);
    expect(collect.exitCode).toBe(0);
    expect(collect.all).toMatch(/^✔ interface written: 2 functions, 1 trigger → dist\/workers\/calc\/worker-interface\.json/m);
    expect(workspace.readFile('dist/workers/calc/worker-interface.json')).toBe(serializeInterface(CALC_INTERFACE, { launch: 'start-script', forced: false }));
    expect(processesRunningIn(workspace.root)).toEqual([]);

    const publish = await cli(
      ['publish', 'workers/calc', '--image-tag', 'ghcr.io/example/calc:1.4.0', '--repo-url=https://github.com/example/workers', '--api-url', registry.url],
      { WORKERS_REGISTRY_API_KEY: API_KEY },
    );
    expect(publish.exitCode).toBe(0);
    expect(registry.published).toHaveLength(1);
    expect(registry.published[0]).toMatchObject({ worker_name: 'calc', version: '1.4.0', type: 'image', image_tag: 'ghcr.io/example/calc:1.4.0' });
    expect(publish.all).not.toContain(API_KEY);
  });

  it('run from inside the worker folder (as Turborepo runs package scripts), names the worker after that folder', async () => {
    const workerDir = join(workspace.root, 'workers', 'calc');
    const collect = await cli(['collect', '--verbose'], {}, workerDir);
    expect(collect.exitCode).toBe(0);
    expect(collect.all).toContain('worker registered: calc');
    // Logs stay out of the package's hashed files: under node_modules/.cache, not .nx/ in the worker folder.
    expect(collect.all).toContain(`worker log: ${join(workerDir, 'node_modules', '.cache', 'worker-publish', 'logs', 'calc', 'worker.log')}`);
    expect(workspace.readFile('workers/calc/dist/worker-interface.json')).toBe(serializeInterface(CALC_INTERFACE, { launch: 'start-script', forced: false }));

    const publish = await cli(['publish', '--dry-run', '--image-tag', 'ghcr.io/example/calc:1.4.0', '--repo-url', 'https://github.com/example/workers'], {}, workerDir);
    expect(publish.exitCode).toBe(0);
    const payload = JSON.parse(workspace.readFile('workers/calc/dist/publish-payload.json'));
    expect(payload.worker_name).toBe('calc');
    expect(publish.all).not.toContain('"."');
  });

  it('publishes nothing without an interface and says which command makes one', async () => {
    const publish = await cli(['publish', 'workers/calc', '--dry-run', '--image-tag', 'x:1', '--repo-url', 'https://github.com/example/workers']);
    expect(publish.exitCode).toBe(1);
    expect(publish.all).toContain('Run `worker-publish collect workers/calc` first.');
    expect(registry.requests).toHaveLength(0);
  });

  it.each([
    [['collect', 'workers/calc', '--bogus'], /Unknown flag "--bogus"/],
    [['collect', 'workers/calc', '--wait-seconds', 'soon'], /--wait-seconds takes a number, got "soon"/],
    [['collect', '/elsewhere'], /is not inside the workspace root/],
  ])('rejects bad flags with exit code 2 and the usage: %j', async (args, message) => {
    const run = await cli(args);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('Usage: worker-publish');
  });

  it('finalize: mints the stable version from the rc on next, as finalize-release does (--help lists its options)', async () => {
    const help = await cli(['finalize', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('--candidate');
    const image = (version: string) => ({
      worker_name: 'calc', version, type: 'image', readme: '', repo: 'https://github.com/x/y', description: null, dependencies: [], config: {},
      functions: [], triggers: [], experimental: false, image_tag: `ghcr.io/x/calc:${version}`,
    });
    registry.seedVersion(image('1.4.0-rc.1'));
    registry.seedChannel('calc', 'next', '1.4.0-rc.1');
    const run = await cli(['finalize', 'workers/calc', '--tag', 'calc/v1.4.0', '--api-url', registry.url], { WORKERS_REGISTRY_API_KEY: API_KEY });
    expect(run.exitCode).toBe(0);
    expect(run.all).toContain('finalized calc 1.4.0-rc.1 as 1.4.0: latest and next point to 1.4.0');
    expect([registry.channel('calc', 'latest'), registry.channel('calc', 'next')]).toEqual(['1.4.0', '1.4.0']);
  });

  it('refuses a value the option does not take with exit code 1, as under Nx, naming the option, the value and what it takes', async () => {
    const run = await cli(['collect', 'workers/calc', '--engine', 'cloud']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/`engine` must be embedded, external or url, got "cloud"/);
  });
});
