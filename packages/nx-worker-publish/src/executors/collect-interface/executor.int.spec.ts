import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeInterface } from '../../core/interface/worker-interface';
import type { LaunchMode } from '../../core/launch-plan';
import { captureOutput, type CapturedOutput } from '../test-support/capture-output';
import {
  CALC_BINARY,
  CALC_BINARY_MANIFEST,
  CALC_IMAGE_MANIFEST,
  CALC_INTERFACE,
  CALC_PACKAGE_JSON,
  CALC_START_SCRIPT,
} from '../test-support/calc-worker';
import { executorContext } from '../test-support/executor-context';
import { filesContaining } from '../test-support/find-secret';
import { isolateEnv } from '../test-support/isolated-env';
import { isAlive, processesRunningIn } from '../test-support/leftover-processes';
import { createTempWorkspace, type FileSpec, type TempWorkspace } from '../test-support/temp-workspace';
import collectInterface from './executor';
import type { CollectInterfaceExecutorSchema } from './schema';

jest.setTimeout(60_000);

const INTERFACE_FILE = 'dist/workers/calc/worker-interface.json';
/** The golden interface, as collected by a launch the automatic order chose. */
const goldenInterface = (launch: LaunchMode) => serializeInterface(CALC_INTERFACE, { launch, forced: false });
/** "✔ <what> (<n> ms)" or "(<n.n> s)": one line per step, with its duration. */
const STEP_LINE = /^✔ .+ \((\d+ ms|\d+\.\d s)\)$/;
const STACK_FRAME = /^\s+at .+[:(]/;

describe('collect-interface executor (embedded engine, real iii-sdk workers)', () => {
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

  const calcWorkspace = (files: Record<string, FileSpec>) => {
    workspace = createTempWorkspace({ worker: 'calc', files: { 'package.json': CALC_PACKAGE_JSON, ...files } });
    return workspace;
  };

  /** Runs the executor; the worker writes its pid to a file so the test can check it is gone afterwards. */
  const collect = async (ws: TempWorkspace, options: CollectInterfaceExecutorSchema = {}, context: { isVerbose?: boolean } = {}) => {
    mkdirSync(join(ws.root, 'tmp'), { recursive: true });
    const pidFile = join(ws.root, 'tmp', `worker-${Math.random().toString(36).slice(2)}.pid`);
    const result = await collectInterface(
      { ...options, env: { CALC_PID_FILE: pidFile, ...options.env } },
      executorContext(ws, 'collect-interface', context),
    );
    const workerPid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined;
    return { result, workerPid };
  };

  const expectNothingLeftRunning = (ws: TempWorkspace, workerPid: number | undefined) => {
    if (workerPid !== undefined) expect(isAlive(workerPid)).toBe(false);
    expect(processesRunningIn(ws.root)).toEqual([]);
  };

  it('writes the golden interface of a start-script worker, byte-identical on a second run', async () => {
    const ws = calcWorkspace({ 'iii.worker.yaml': CALC_IMAGE_MANIFEST, 'worker.js': CALC_START_SCRIPT });

    const first = await collect(ws);
    expect(first.result).toEqual({ success: true });
    expect(first.workerPid).toEqual(expect.any(Number));
    const firstBytes = ws.readFile(INTERFACE_FILE);
    expect(firstBytes).toBe(goldenInterface('start-script'));
    expectNothingLeftRunning(ws, first.workerPid);

    const second = await collect(ws);
    expect(second.result).toEqual({ success: true });
    expect(second.workerPid).not.toBe(first.workerPid);
    expect(ws.readFile(INTERFACE_FILE)).toBe(firstBytes);
    // Nothing that changes between runs or machines may reach the cached output.
    for (const unstable of [ws.root, '127.0.0.1', 'ws://', String(first.workerPid), String(second.workerPid)]) {
      expect(firstBytes).not.toContain(unstable);
    }
    expectNothingLeftRunning(ws, second.workerPid);
  });

  it('withholds every publish target key of the workspace, the CI tokens and withholdEnv from the worker (issue 12 #1)', async () => {
    const ws = calcWorkspace({
      'iii.worker.yaml': CALC_IMAGE_MANIFEST,
      // A worker that logs its whole environment, as some do at debug level.
      'worker.js': `console.log('env: ' + JSON.stringify(process.env));\n${CALC_START_SCRIPT}`,
    });
    const secrets = {
      MY_REGISTRY_KEY: 'wpk_custom_SECRET_1',
      OTHER_PROJECT_KEY: 'wpk_other_SECRET_2',
      GITHUB_TOKEN: 'ghs_SECRET_3',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc_SECRET_4',
      NX_CLOUD_ACCESS_TOKEN: 'nxc_SECRET_5',
      DB_PASSWORD: 'db_SECRET_6',
    };
    Object.assign(process.env, secrets, { PLAIN_VARIABLE: 'plain-value-7' });
    const context = executorContext(ws, 'collect-interface');
    const publishTarget = (apiKeyEnv: string) => ({ executor: 'nx-worker-publish:publish-interface', options: { apiKeyEnv } });
    context.projectGraph.nodes[ws.projectName].data.targets = { 'publish-interface': publishTarget('MY_REGISTRY_KEY') };
    context.projectGraph.nodes.other = { name: 'other', type: 'app', data: { root: 'workers/other', targets: { publish: publishTarget('OTHER_PROJECT_KEY') } } };

    const result = await collectInterface({ withholdEnv: ['DB_PASSWORD'] }, context);

    expect(result).toEqual({ success: true });
    const log = join(ws.root, '.nx/workspace-data/worker-publish/calc/worker.log');
    expect(readFileSync(log, 'utf8')).toContain('plain-value-7'); // the worker did print its environment
    for (const secret of Object.values(secrets)) {
      expect(filesContaining(ws.root, secret)).toEqual([]);
      expect(output.text()).not.toContain(secret);
    }
  });

  it('prints one line per step, each with its duration', async () => {
    const ws = calcWorkspace({ 'iii.worker.yaml': CALC_IMAGE_MANIFEST, 'worker.js': CALC_START_SCRIPT });

    const { result } = await collect(ws);

    expect(result.success).toBe(true);
    const steps = output.lines().filter((line) => line.startsWith('✔'));
    expect(steps).toHaveLength(5);
    for (const line of steps) expect(line).toMatch(STEP_LINE);
    expect(steps[0]).toMatch(/^✔ launch plan: start-script \(start command from scripts\.start `node worker\.js`\)/);
    expect(steps[1]).toMatch(/^✔ engine ready: embedded engine \(0\.13, auto: iii-sdk 0\.22\.1 in node_modules\/iii-sdk\/package\.json\)/);
    expect(steps[2]).toMatch(/^✔ worker registered: calc \(matched by name, 2 functions, 1 trigger type, settled for 1\.0 s\)/);
    expect(steps[3]).toMatch(/^✔ interface read from the engine /);
    expect(steps[4]).toMatch(/^✔ interface written: 2 functions, 1 trigger → dist\/workers\/calc\/worker-interface\.json /);
  });

  it('runs a build-output binary with --url and writes the same golden interface', async () => {
    const ws = calcWorkspace({ 'iii.worker.yaml': CALC_BINARY_MANIFEST, 'target/release/calc': CALC_BINARY });

    const { result, workerPid } = await collect(ws);

    expect(result).toEqual({ success: true });
    expect(output.text()).toMatch(/launch plan: build-output \(build output found at workers\/calc\/target\/release\/calc\)/);
    expect(ws.readFile(INTERFACE_FILE)).toBe(goldenInterface('build-output'));
    expectNothingLeftRunning(ws, workerPid);
  });

  it('fails fast with the log tail when the worker crashes at start', async () => {
    const ws = calcWorkspace({
      'iii.worker.yaml': CALC_IMAGE_MANIFEST,
      'worker.js':
        "require('node:fs').writeFileSync(process.env.CALC_PID_FILE, String(process.pid));\n" +
        "console.error('calc: cannot read ./config.yaml (ENOENT)');\nprocess.exit(3);\n",
    });

    // A wait far longer than the test's own timeout: only noticing the exit can end this in time.
    const { result, workerPid } = await collect(ws, { waitSeconds: 600 });

    expect(result).toEqual({ success: false });
    const text = output.text();
    expect(text).toMatch(/✖ could not collect the interface of calc: worker exited with code 3 before it registered/);
    expect(text).toContain('calc: cannot read ./config.yaml (ENOENT)');
    expect(text).not.toMatch(/did not register with the engine within/);
    expect(existsSync(join(ws.root, INTERFACE_FILE))).toBe(false);
    expectNothingLeftRunning(ws, workerPid);
  });

  it('rejects a negative settleSeconds before starting anything', async () => {
    const ws = calcWorkspace({ 'iii.worker.yaml': CALC_IMAGE_MANIFEST, 'worker.js': CALC_START_SCRIPT });
    const { result, workerPid } = await collect(ws, { settleSeconds: -1 });
    expect(result).toEqual({ success: false });
    expect(output.text()).toContain('the `settleSeconds` option must be a number of 0 or more, got -1');
    expect(workerPid).toBeUndefined();
  });

  it('a worker that crashes on an engine service the embedded engine lacks is explained by the engine log tail', async () => {
    const ws = calcWorkspace({
      'iii.worker.yaml': CALC_IMAGE_MANIFEST,
      'worker.js':
        "require('node:fs').writeFileSync(process.env.CALC_PID_FILE, String(process.pid));\n" +
        "const iii = require('iii-sdk').registerWorker(process.env.III_URL, { workerName: 'calc', otel: { enabled: false }, enableMetricsReporting: false });\n" +
        "iii.trigger({ function_id: 'state::get', payload: { scope: 'calc', key: 'limits' } }).then(() => process.exit(0), () => process.exit(4));\n",
    });

    const { result, workerPid } = await collect(ws, { waitSeconds: 600 });

    expect(result).toEqual({ success: false });
    const text = output.text();
    expect(text).toMatch(/worker exited with code 4/);
    expect(text).toMatch(/--- last lines of the engine log \(.+engine\.log\) ---/);
    expect(text).toMatch(/function_not_found: worker .+ called state::get in namespace "default"; it belongs to state \(iii-state\), which the embedded engine does not provide/);
    expectNothingLeftRunning(ws, workerPid);
  });

  it('fails with the timeout message when the worker never registers', async () => {
    const ws = calcWorkspace({
      'iii.worker.yaml': CALC_IMAGE_MANIFEST,
      // Alive, but never connects: only the wait's deadline ends this.
      'worker.js':
        "require('node:fs').writeFileSync(process.env.CALC_PID_FILE, String(process.pid));\n" +
        "console.log('calc: warming up');\nsetInterval(() => {}, 1000);\n",
    });

    const { result, workerPid } = await collect(ws, { waitSeconds: 1 });

    expect(result).toEqual({ success: false });
    expect(output.text()).toMatch(
      /✖ could not collect the interface of calc: worker calc did not register with the engine within 1 s: no new worker connected to the engine at all/,
    );
    expect(output.text()).toContain('Raise waitSeconds');
    expect(existsSync(join(ws.root, INTERFACE_FILE))).toBe(false);
    expect(workerPid).toEqual(expect.any(Number));
    expectNothingLeftRunning(ws, workerPid);
  });

  it.each([false, true])('fails with the manifest error naming the file and key, without a stack trace (verbose: %p)', async (isVerbose) => {
    const ws = calcWorkspace({
      'iii.worker.yaml': CALC_IMAGE_MANIFEST.replace('deploy: image', 'deploy: container'),
      'worker.js': CALC_START_SCRIPT,
    });

    const { result, workerPid } = await collect(ws, {}, { isVerbose });

    expect(result).toEqual({ success: false });
    const errors = output.lines().filter((line) => line.startsWith('✖'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(join(ws.workerDir, 'iii.worker.yaml'));
    expect(errors[0]).toMatch(/`deploy` must be one of binary, image, bundle \(got string "container"\)/);
    expect(output.lines().filter((line) => STACK_FRAME.test(line))).toEqual([]);
    expect(workerPid).toBeUndefined();
    expect(existsSync(join(ws.root, INTERFACE_FILE))).toBe(false);
  });

  it.each([
    ['legacy', '0.11'],
    ['0.13', '0.13'],
  ])('engineGeneration %s runs the embedded engine generation %s', async (engineGeneration, generation) => {
    const ws = calcWorkspace({ 'iii.worker.yaml': CALC_IMAGE_MANIFEST, 'worker.js': CALC_START_SCRIPT });

    const { result } = await collect(ws, { engineGeneration: engineGeneration as CollectInterfaceExecutorSchema['engineGeneration'] });

    expect(result.success).toBe(true);
    expect(output.lines()).toContainEqual(expect.stringMatching(new RegExp(`^✔ engine ready: embedded engine \\(${generation.replace('.', '\\.')}, pinned by engineGeneration; iii-sdk 0\\.22\\.1`)));
    expect(readFileSync(join(ws.root, INTERFACE_FILE), 'utf8')).toBe(goldenInterface('start-script'));
  });

  it('an unknown engineGeneration is one error naming the option and the accepted values', async () => {
    const ws = calcWorkspace({ 'iii.worker.yaml': CALC_IMAGE_MANIFEST, 'worker.js': CALC_START_SCRIPT });

    const { result, workerPid } = await collect(ws, { engineGeneration: '0.22' as CollectInterfaceExecutorSchema['engineGeneration'] });

    expect(result).toEqual({ success: false });
    const errors = output.lines().filter((line) => line.startsWith('✖'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('`engineGeneration` must be auto (the default: the generation of the worker\'s iii-sdk line), 0.26, 0.25, 0.23, 0.13 or 0.11 (or the old names current / legacy), got "0.22"');
    expect(output.lines().filter((line) => STACK_FRAME.test(line))).toEqual([]);
    expect(workerPid).toBeUndefined();
  });

  it('reports broken YAML syntax with the file and line, without a stack trace', async () => {
    const ws = calcWorkspace({ 'iii.worker.yaml': 'deploy: image\nscripts: [start: node worker.js\n', 'worker.js': CALC_START_SCRIPT });

    const { result } = await collect(ws);

    expect(result).toEqual({ success: false });
    expect(output.text()).toMatch(new RegExp(`${escapeRegExp(join(ws.workerDir, 'iii.worker.yaml'))} is not valid YAML at line \\d+`));
    expect(output.lines().filter((line) => STACK_FRAME.test(line))).toEqual([]);
  });
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
