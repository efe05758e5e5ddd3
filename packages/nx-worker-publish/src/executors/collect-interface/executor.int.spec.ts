import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeInterface } from '../../core/interface/worker-interface';
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
import { isolateEnv } from '../test-support/isolated-env';
import { isAlive, processesRunningIn } from '../test-support/leftover-processes';
import { createTempWorkspace, type FileSpec, type TempWorkspace } from '../test-support/temp-workspace';
import collectInterface from './executor';
import type { CollectInterfaceExecutorSchema } from './schema';

jest.setTimeout(60_000);

const INTERFACE_FILE = 'dist/workers/calc/worker-interface.json';
const GOLDEN_INTERFACE = serializeInterface(CALC_INTERFACE);
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
    expect(firstBytes).toBe(GOLDEN_INTERFACE);
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

  it('prints one line per step, each with its duration', async () => {
    const ws = calcWorkspace({ 'iii.worker.yaml': CALC_IMAGE_MANIFEST, 'worker.js': CALC_START_SCRIPT });

    const { result } = await collect(ws);

    expect(result.success).toBe(true);
    const steps = output.lines().filter((line) => line.startsWith('✔'));
    expect(steps).toHaveLength(5);
    for (const line of steps) expect(line).toMatch(STEP_LINE);
    expect(steps[0]).toMatch(/^✔ launch plan: start-script \(start command from scripts\.start `node worker\.js`\)/);
    expect(steps[1]).toMatch(/^✔ engine ready: embedded engine \(generation 0\.23\)/);
    expect(steps[2]).toMatch(/^✔ worker registered: calc \(matched by name, 2 functions, 1 trigger type, settled for 1\.0 s\)/);
    expect(steps[3]).toMatch(/^✔ interface read from the engine /);
    expect(steps[4]).toMatch(/^✔ interface written: 2 functions, 1 trigger → dist\/workers\/calc\/worker-interface\.json /);
  });

  it('runs a build-output binary with --url and writes the same golden interface', async () => {
    const ws = calcWorkspace({ 'iii.worker.yaml': CALC_BINARY_MANIFEST, 'target/release/calc': CALC_BINARY });

    const { result, workerPid } = await collect(ws);

    expect(result).toEqual({ success: true });
    expect(output.text()).toMatch(/launch plan: build-output \(build output found at workers\/calc\/target\/release\/calc\)/);
    expect(ws.readFile(INTERFACE_FILE)).toBe(GOLDEN_INTERFACE);
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
    expect(output.text()).toMatch(/`settleSeconds` must be a number of seconds ≥ 0 \(e\.g\. 1 or 0\.5\), got -1/);
    expect(workerPid).toBeUndefined();
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
    expect(errors[0]).toMatch(/`deploy` must be one of binary, image \(got string "container"\)/);
    expect(output.lines().filter((line) => STACK_FRAME.test(line))).toEqual([]);
    expect(workerPid).toBeUndefined();
    expect(existsSync(join(ws.root, INTERFACE_FILE))).toBe(false);
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
