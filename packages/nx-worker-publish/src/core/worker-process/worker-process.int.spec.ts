import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isProcessRunning } from '../process-tree';
import { failOnEarlyExit } from './fail-on-early-exit';
import { WorkerExitedError, WorkerSpawnError } from './worker-errors';
import { startWorkerProcess, type WorkerLaunch, type WorkerProcess } from './worker-process';

const support = path.join(__dirname, 'test-support');
const script = (name: string) => path.join(support, name);
const node = process.execPath;

jest.setTimeout(30_000);

let dir: string;
const started: WorkerProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'worker-process-'));
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((proc) => proc.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(launch: Partial<WorkerLaunch> & { args: string[] }, graceMs = 500): Promise<WorkerProcess> {
  const proc = await startWorkerProcess(
    { command: node, cwd: dir, env: {}, ...launch },
    { logFile: path.join(dir, 'logs', 'worker.log'), graceMs },
  );
  started.push(proc);
  return proc;
}

const sleep = (ms: number) => new Promise<'timer'>((resolve) => setTimeout(() => resolve('timer'), ms));

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function readPids(file: string, count: number): Promise<Map<string, number[]>> {
  return waitFor(() => {
    if (!existsSync(file)) return undefined;
    const lines = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);
    if (lines.length < count) return undefined;
    const byRole = new Map<string, number[]>();
    for (const line of lines) {
      const [role, pid] = line.split(' ');
      byRole.set(role, [...(byRole.get(role) ?? []), Number(pid)]);
    }
    return byRole;
  }, `${count} pids in ${file}`);
}

/** A zombie (dead, waiting for init to reap it) is not alive. */
const isAlive = isProcessRunning;

/** Still-running-or-not, without racing the surrounding assertions: true once it exited, false if still up after 1 s. */
async function exitsWithinOneSecond(proc: WorkerProcess): Promise<boolean> {
  return (await Promise.race([proc.exited.then(() => 'exited' as const), sleep(1000)])) === 'exited';
}

test('a worker that exits at once is reported by failOnEarlyExit with its code and log tail', async () => {
  const proc = await start({ args: [script('exit-at-once.js')] });
  const error = await failOnEarlyExit(proc).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorkerExitedError);
  expect((error as WorkerExitedError).code).toBe(3);
  expect((error as Error).message).toContain('worker exited with code 3 before it registered');
  expect((error as Error).message).toContain('fatal: cannot read ./config.yaml (test worker)');
  expect(await proc.exited).toEqual({ code: 3, signal: null });
});

test('a launcher expected to exit (iii worker add) fails only when it exits with an error', async () => {
  const cleanExit = await start({ command: process.execPath, args: ['-e', 'process.exit(0)'] });
  await cleanExit.exited;
  expect(await Promise.race([failOnEarlyExit(cleanExit, 40, { cleanExitIsExpected: true }), sleep(300)])).toBe('timer');

  const failedExit = await start({ args: [script('exit-at-once.js')] });
  const error = await failOnEarlyExit(failedExit, 40, { cleanExitIsExpected: true }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorkerExitedError);
  expect((error as WorkerExitedError).code).toBe(3);
});

test('a worker that keeps running stays alive until stop, then exits', async () => {
  const proc = await start({ args: [script('keep-running.js')] });
  expect(await Promise.race([failOnEarlyExit(proc), sleep(1000)])).toBe('timer');
  expect(isAlive(proc.pid)).toBe(true);
  await proc.stop();
  expect(await proc.exited).toEqual({ code: null, signal: 'SIGTERM' });
  expect(isAlive(proc.pid)).toBe(false);
  expect(proc.logTail()).toContain(`keep-running pid ${proc.pid}`);
});

test('stdin stays open: a stdio worker that exits on stdin close keeps running', async () => {
  const proc = await start({ args: [script('stdio-worker.js')] });
  expect(await exitsWithinOneSecond(proc)).toBe(false);
  expect(isAlive(proc.pid)).toBe(true);
  expect(proc.logTail()).toContain('stdio worker reading stdin');
});

test('control: the stdio fixture does exit when its stdin is closed', async () => {
  const proc = await start({ command: `node ${script('stdio-worker.js')} < /dev/null`, args: [], shell: true });
  expect(await proc.exited).toEqual({ code: 0, signal: null });
  expect(proc.logTail()).toContain('stdin closed, exiting');
});

test('the launch env (on top of the parent env, less withheld secrets), cwd and args reach the worker', async () => {
  const workerDir = path.join(dir, 'my-worker');
  require('node:fs').mkdirSync(workerDir);
  const out = path.join(dir, 'seen.json');
  process.env.TEST_PARENT_VAR = 'from-parent';
  process.env.TEST_SECRET_VAR = 'registry-key';
  try {
    await start({
      args: [script('write-env-cwd.js'), out, '--url', 'ws://127.0.0.1:4321'],
      cwd: workerDir,
      env: { III_URL: 'ws://127.0.0.1:4321', III_ENGINE_URL: 'ws://127.0.0.1:4321' },
      withheldEnv: ['TEST_SECRET_VAR'],
    });
  } finally {
    delete process.env.TEST_PARENT_VAR;
    delete process.env.TEST_SECRET_VAR;
  }
  const seen = await waitFor(() => (existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : undefined), 'env file');
  expect(seen.cwd).toBe(realpathSync(workerDir));
  expect(seen.env).toMatchObject({
    III_URL: 'ws://127.0.0.1:4321',
    III_ENGINE_URL: 'ws://127.0.0.1:4321',
    TEST_PARENT_VAR: 'from-parent',
    PATH: process.env.PATH,
  });
  expect(seen.env).not.toHaveProperty('TEST_SECRET_VAR');
  expect(seen.args).toEqual(['--url', 'ws://127.0.0.1:4321']);
});

test('the CI and Nx Cloud tokens never reach a worker, even when the caller withholds nothing (issue 12 #1)', async () => {
  const out = path.join(dir, 'seen.json');
  const tokens = ['GITHUB_TOKEN', 'GH_TOKEN', 'ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'NX_CLOUD_ACCESS_TOKEN', 'NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN', 'WORKERS_REGISTRY_API_KEY'];
  for (const name of tokens) process.env[name] = `secret-${name}`;
  try {
    await start({ args: [script('write-env-cwd.js'), out] });
  } finally {
    for (const name of tokens) delete process.env[name];
  }
  const seen = await waitFor(() => (existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : undefined), 'env file');
  expect(seen.env.PATH).toBe(process.env.PATH);
  for (const name of tokens) expect(seen.env).not.toHaveProperty(name);
});

test('each run starts a fresh log, capped to its last MiBs, and the tail says it was cut (issue 12 #7)', async () => {
  const logFile = path.join(dir, 'logs', 'worker.log');
  require('node:fs').mkdirSync(path.dirname(logFile), { recursive: true });
  require('node:fs').writeFileSync(logFile, 'OUTPUT OF THE PREVIOUS RUN\n');
  const proc = await startWorkerProcess(
    { command: node, args: [script('write-lots.js')], cwd: dir, env: { LINES: '60000' } },
    { logFile, graceMs: 500, logMaxBytes: 1024 * 1024 },
  );
  started.push(proc);
  // ~4.3 MiB of output against a 1 MiB cap.
  await waitFor(() => (readFileSync(logFile, 'utf8').includes('done after 60000 lines') ? true : undefined), 'all output');
  await proc.stop();

  const text = readFileSync(logFile, 'utf8');
  expect(statSync(logFile).size).toBeLessThanOrEqual(1024 * 1024);
  expect(text).not.toContain('OUTPUT OF THE PREVIOUS RUN');
  expect(text).toMatch(/^\[worker\.log was cut: it keeps its last 1 MiB \(logMaxMiB\); \d+\.\d MiB of earlier output were dropped\]\n/);
  expect(text).toContain('line 59999 ');
  expect(text).not.toContain('line 0 ');
  const tail = proc.logTail(3).split('\n');
  expect(tail[0]).toMatch(/^\[worker\.log was cut/);
  expect(tail.slice(1)).toEqual([expect.stringMatching(/^line 59998 /), expect.stringMatching(/^line 59999 /), 'done after 60000 lines']);
});

test('stop() ends the whole tree: grandchildren, one in its own process group, ones that ignore SIGTERM', async () => {
  const pidsFile = path.join(dir, 'pids.txt');
  const proc = await start({ args: [script('spawn-tree.js')], env: { PIDS_FILE: pidsFile } });
  const pids = await readPids(pidsFile, 4);
  const all = [...pids.values()].flat();
  expect(all).toHaveLength(4);
  expect(pids.get('worker')).toEqual([proc.pid]);
  for (const pid of all) expect(isAlive(pid)).toBe(true);

  const stopping = proc.stop();
  expect(proc.stop()).toBe(stopping); // idempotent
  await stopping;
  await proc.stop();

  for (const pid of all) expect(isAlive(pid)).toBe(false);
  // SIGTERM reached the grandchildren in their own group before SIGKILL ended them.
  expect(readFileSync(proc.logFile, 'utf8')).toMatch(/ignoring SIGTERM/);
});

test('a launcher that exits leaving its child behind: stop() still ends the child', async () => {
  const pidsFile = path.join(dir, 'pids.txt');
  const listenersBefore = process.listenerCount('exit');
  const proc = await start({ args: [script('exit-leaving-child.js')], env: { PIDS_FILE: pidsFile } });
  const pids = await readPids(pidsFile, 2);
  expect(await proc.exited).toEqual({ code: 0, signal: null });
  const [child] = pids.get('keep-running') ?? [];
  expect(isAlive(child)).toBe(true);
  // The parent's exit hook stays while the group has members.
  expect(process.listenerCount('exit')).toBe(listenersBefore + 1);
  await proc.stop();
  expect(isAlive(child)).toBe(false);
  expect(process.listenerCount('exit')).toBe(listenersBefore);
});

test('shell: true runs a start script through /bin/sh, with quoted args and env expansion', async () => {
  const out = path.join(dir, 'seen.json');
  const pidsFile = path.join(dir, 'pids.txt');
  const proc = await start({
    command: `echo "engine is $III_URL" && node ${script('write-env-cwd.js')}`,
    args: [out, 'two words', "it's"],
    shell: true,
    env: { III_URL: 'ws://127.0.0.1:9', PIDS_FILE: pidsFile },
  });
  const seen = await waitFor(() => (existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : undefined), 'env file');
  expect(seen.args).toEqual(['two words', "it's"]);
  expect(proc.logTail()).toContain('engine is ws://127.0.0.1:9');
  await proc.stop();
  expect(isAlive(proc.pid)).toBe(false);
});

test('a command that does not exist gives a clear error naming the command and cwd', async () => {
  const error = await start({ command: 'no-such-worker-binary-xyz', args: ['--url', 'ws://x'] }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorkerSpawnError);
  expect((error as WorkerSpawnError).reason).toBe('command-not-found');
  expect((error as Error).message).toContain('"no-such-worker-binary-xyz"');
  expect((error as Error).message).toContain(dir);
});

test('a missing working folder gives a clear error', async () => {
  const missing = path.join(dir, 'nope');
  const error = await start({ args: [script('keep-running.js')], cwd: missing }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorkerSpawnError);
  expect((error as Error).message).toContain(`${missing} does not exist`);
});

test('a start script whose command is missing fails early with exit code 127 and a hint', async () => {
  const proc = await start({ command: 'no-such-tool-xyz run dev', args: [], shell: true });
  const error = (await failOnEarlyExit(proc).catch((e: unknown) => e)) as WorkerExitedError;
  expect(error).toBeInstanceOf(WorkerExitedError);
  expect(error.code).toBe(127);
  expect(error.message).toContain('could not find the command');
  expect(error.message).toContain('no-such-tool-xyz');
});

test('parent listeners are removed once no child is left', async () => {
  const before = ['SIGINT', 'SIGTERM', 'exit'].map((event) => process.listenerCount(event));
  const proc = await start({ args: [script('keep-running.js')] });
  expect(process.listenerCount('SIGTERM')).toBe(before[1] + 1);
  await proc.stop();
  expect(['SIGINT', 'SIGTERM', 'exit'].map((event) => process.listenerCount(event))).toEqual(before);
});

describe('when the parent process ends (uses the compiled module: npm run build)', () => {
  const compiled = path.resolve(__dirname, '../../../dist/core/worker-process/index.js');

  async function runParent(mode: 'wait' | 'exit') {
    if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run npm run build first`);
    const pidsFile = path.join(dir, 'pids.txt');
    const parent = spawn(node, [script('parent-with-worker.js'), compiled, path.join(dir, 'w.log'), mode], {
      env: { ...process.env, PIDS_FILE: pidsFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      parent.on('exit', (code, signal) => resolve({ code, signal })),
    );
    let stdout = '';
    parent.stdout.on('data', (chunk) => (stdout += chunk));
    await waitFor(() => (stdout.includes('ready') ? true : undefined), 'parent ready');
    const pids = [...(await readPids(pidsFile, 4)).values()].flat();
    return { parent, exit, pids };
  }

  test('SIGTERM to the parent stops the worker tree and the parent still dies of SIGTERM', async () => {
    const { parent, exit, pids } = await runParent('wait');
    for (const pid of pids) expect(isAlive(pid)).toBe(true);
    parent.kill('SIGTERM');
    expect(await exit).toEqual({ code: null, signal: 'SIGTERM' });
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  test('process.exit in the parent SIGKILLs the worker tree synchronously', async () => {
    const { exit, pids } = await runParent('exit');
    expect(await exit).toEqual({ code: 0, signal: null });
    // Orphans are reaped by init, which may take a moment; they must all go without anyone stopping them.
    await waitFor(() => (pids.every((pid) => !isAlive(pid)) ? true : undefined), 'orphans to be gone');
  });
});
