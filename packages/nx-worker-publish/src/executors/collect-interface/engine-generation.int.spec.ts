import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { captureOutput, type CapturedOutput } from '../test-support/capture-output';
import { CALC_IMAGE_MANIFEST, CALC_PACKAGE_JSON, CALC_START_SCRIPT } from '../test-support/calc-worker';
import { executorContext } from '../test-support/executor-context';
import { filesContaining } from '../test-support/find-secret';
import { isolateEnv } from '../test-support/isolated-env';
import { processesRunningIn } from '../test-support/leftover-processes';
import { createTempWorkspace, type FileSpec, type TempWorkspace } from '../test-support/temp-workspace';
import collectInterface from './executor';
import type { CollectInterfaceExecutorSchema } from './schema';

jest.setTimeout(90_000);

const INTERFACE_FILE = 'dist/workers/{name}/worker-interface.json';
const RAW_WORKER = resolve(__dirname, '../../core/collector/test-support/raw-protocol-worker.js');
/** `worker-publish engine` from this package's build (npm run build): the stand-in for the `iii` binary. */
const CLI_MAIN = resolve(__dirname, '../../../dist/cli/main.js');

/**
 * A worker declared on iii-sdk 0.26.0-rc.4 (its Cargo.lock says so) that speaks as that SDK does on the wire: it holds
 * its `args_format` function back until the engine advertises observe.v2 (raw-protocol-worker.js, sdkLine 0.26).
 */
const SDK_026_WORKER: Record<string, FileSpec> = {
  'iii.worker.yaml': `iii: v1\nname: ticks\nlanguage: rust\ndeploy: binary\nmanifest: Cargo.toml\nbin: ticks\nscripts:\n  start: node ${RAW_WORKER}\n`,
  'Cargo.toml': '[package]\nname = "ticks"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\niii-sdk = "=0.26.0-rc.4"\n',
  'Cargo.lock': 'version = 4\n\n[[package]]\nname = "iii-sdk"\nversion = "0.26.0-rc.4"\n\n[[package]]\nname = "ticks"\nversion = "0.1.0"\ndependencies = [\n "iii-sdk",\n]\n',
};
const SDK_026_ENV = { RAW_WORKER: JSON.stringify({ name: 'ticks', sdkLine: '0.26', functionIds: ['ticks::run'], v2Functions: ['ticks::on-tick'] }) };
const fn = (name: string, description: string) => ({
  name,
  description,
  request_schema: { properties: { n: { type: 'number' } }, type: 'object' },
  response_schema: { properties: { n: { type: 'number' } }, type: 'object' },
  metadata: {},
});

describe('collect-interface: engine generations and the worker\'s SDK line', () => {
  let restoreEnv: () => void;
  let output: CapturedOutput;
  let workspace: TempWorkspace | undefined;

  beforeEach(() => {
    restoreEnv = isolateEnv();
    output = captureOutput();
  });
  afterEach(() => {
    output.restore();
    restoreEnv();
    workspace?.remove();
    workspace = undefined;
  });

  const run = async (worker: string, files: Record<string, FileSpec>, options: CollectInterfaceExecutorSchema = {}) => {
    workspace = createTempWorkspace({ worker, files });
    const result = await collectInterface({ waitSeconds: 30, settleSeconds: 0.5, ...options }, executorContext(workspace, 'collect-interface'));
    const file = join(workspace.root, INTERFACE_FILE.replace('{name}', worker));
    return { result, ws: workspace, iface: existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined };
  };

  it('a 0.26 worker on auto is collected exactly: its withheld function included, triggers []', async () => {
    const { result, iface } = await run('ticks', SDK_026_WORKER, { env: SDK_026_ENV });
    expect(result).toEqual({ success: true });
    expect(output.lines()).toContainEqual(expect.stringMatching(/^✔ engine ready: embedded engine \(0\.26, auto: iii-sdk 0\.26\.0-rc\.4 in workers\/ticks\/Cargo\.lock\)/));
    expect(iface).toEqual({ collected_from: { launch: 'start-script', forced: false }, functions: [fn('ticks::on-tick', 'Function v2'), fn('ticks::run', 'Function 0')], triggers: [] });
  });

  it('a 0.26 worker against a pinned older generation fails before the worker starts, naming both versions and the fix', async () => {
    const { result, ws, iface } = await run('ticks', SDK_026_WORKER, { env: SDK_026_ENV, engineGeneration: '0.25' });
    expect(result).toEqual({ success: false });
    const errors = output.lines().filter((line) => line.startsWith('✖'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /worker ticks is built on iii-sdk 0\.26\.0-rc\.4 \(workers\/ticks\/Cargo\.lock\), newer than the embedded engine generation 0\.25 \(version 0\.25\.0\).*engineGeneration auto or 0\.26/,
    );
    expect(iface).toBeUndefined();
    expect(existsSync(join(ws.root, '.nx/workspace-data/worker-publish/ticks/worker.log'))).toBe(false); // never started
  });

  describe('engine: external (the embedded engine run as `worker-publish engine`, answering --version)', () => {
    beforeAll(() => {
      if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: run npm run build first`);
    });
    const external = (generation: string): CollectInterfaceExecutorSchema => ({
      engine: 'external',
      engineCommand: `${process.execPath} ${CLI_MAIN} engine --generation ${generation}`,
    });

    it('fails when the engine reports a version older than the worker\'s SDK line', async () => {
      const { result, iface } = await run('ticks', SDK_026_WORKER, { env: SDK_026_ENV, ...external('0.23') });
      expect(result).toEqual({ success: false });
      expect(output.text()).toMatch(/✔ engine ready: external engine `.*engine --generation 0\.23` \(version 0\.23\.0, pid \d+\)/);
      expect(output.lines().filter((line) => line.startsWith('✖'))[0]).toMatch(
        /worker ticks is built on iii-sdk 0\.26\.0-rc\.4 .*newer than the external engine `.*` \(version 0\.23\.0\).*install iii engine 0\.26 or newer/,
      );
      expect(iface).toBeUndefined();
      expect(processesRunningIn(workspace!.root)).toEqual([]);
    });

    it('collects exactly from an engine that reports 0.26', async () => {
      const { result, iface } = await run('ticks', SDK_026_WORKER, { env: SDK_026_ENV, ...external('0.26') });
      expect(result).toEqual({ success: true });
      expect(iface).toEqual({ collected_from: { launch: 'start-script', forced: false }, functions: [fn('ticks::on-tick', 'Function v2'), fn('ticks::run', 'Function 0')], triggers: [] });
    });
  });

  it('III_TOKEN and the SDK identity variables of the parent never reach the worker nor any log; the worker\'s own env does', async () => {
    const parent = {
      III_TOKEN: 'iii_SECRET_TOKEN_8',
      III_WORKER_NAME: 'hijacked-name-9',
      III_NAMESPACE: 'elsewhere-10',
      III_DISABLE_TRACE_PAYLOADS: 'parent-11',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=otel_SECRET_12',
    };
    Object.assign(process.env, parent);
    const printsEnv = `console.log('env: ' + JSON.stringify(process.env));\n${CALC_START_SCRIPT}`;
    const { result, ws } = await run('calc', { 'package.json': CALC_PACKAGE_JSON, 'iii.worker.yaml': CALC_IMAGE_MANIFEST, 'worker.js': printsEnv }, {
      env: { III_ISOLATION: 'set-on-purpose-13' },
    });
    expect(result).toEqual({ success: true });
    const log = readFileSync(join(ws.root, '.nx/workspace-data/worker-publish/calc/worker.log'), 'utf8');
    expect(log).toContain('"III_ISOLATION":"set-on-purpose-13"'); // the worker printed its environment
    for (const value of Object.values(parent)) {
      expect(filesContaining(ws.root, value)).toEqual([]);
      expect(output.text()).not.toContain(value);
    }
  });
});
