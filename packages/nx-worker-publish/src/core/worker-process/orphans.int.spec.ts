import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isProcessRunning, readProcessTable } from '../process-tree';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

// Issue 12 #3 (daemons that double-fork and setsid) and #4 (nx killed with SIGKILL): nothing may be left running.
jest.setTimeout(40_000);

const support = path.join(__dirname, 'test-support');
const compiled = path.resolve(__dirname, '../../../dist/core/worker-process/index.js');

let dir: string;
let pidsFile: string;
const started: WorkerProcess[] = [];
const spawnedPids: number[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'orphans-'));
  pidsFile = path.join(dir, 'pids.txt');
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((proc) => proc.stop()));
  for (const pid of spawnedPids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
function readPids(count: number): Map<string, number[]> | undefined {
  if (!existsSync(pidsFile)) return undefined;
  const lines = readFileSync(pidsFile, 'utf8').trim().split('\n').filter(Boolean);
  if (lines.length < count) return undefined;
  const byRole = new Map<string, number[]>();
  for (const line of lines) {
    const [role, pid] = line.split(' ');
    byRole.set(role, [...(byRole.get(role) ?? []), Number(pid)]);
  }
  return byRole;
}
const allGone = (pids: number[]) => (pids.every((pid) => !isProcessRunning(pid)) ? true : undefined);

test('a daemon that double-forked and called setsid is gone after stop()', async () => {
  const proc = await startWorkerProcess(
    { command: process.execPath, args: [path.join(support, 'double-fork-daemon.js')], cwd: dir, env: { PIDS_FILE: pidsFile } },
    { logFile: path.join(dir, 'worker.log'), graceMs: 300 },
  );
  started.push(proc);
  const pids = await waitFor(() => readPids(3), 'worker, middle and daemon');
  const [daemon] = pids.get('daemon')!;
  spawnedPids.push(daemon);
  await waitFor(() => allGone(pids.get('middle')!), 'the middle process to exit');
  // Outside the worker's tree and group: only the run id in its environment ties it to the worker.
  const entry = readProcessTable().find((e) => e.pid === daemon)!;
  expect(entry.pgid).not.toBe(proc.pid);
  expect(entry.ppid).not.toBe(proc.pid);
  expect(readFileSync(`/proc/${daemon}/environ`, 'utf8')).toMatch(/WORKER_PUBLISH_RUN_ID=[0-9a-f]{24}/);
  expect(isProcessRunning(daemon)).toBe(true);

  await proc.stop();

  expect(isProcessRunning(daemon)).toBe(false);
});

describe('when nx is killed with SIGKILL (uses the compiled module: npm run build)', () => {
  async function startNxStandIn() {
    if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run npm run build first`);
    // Detached: its own process group, like `nx` started from a shell.
    const nx = spawn(process.execPath, [path.join(support, 'nx-stand-in.js'), compiled, dir], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, PIDS_FILE: pidsFile },
    });
    spawnedPids.push(nx.pid!);
    const pids = await waitFor(() => (existsSync(path.join(dir, 'ready')) ? readPids(9) : undefined), 'the task and its workers');
    const all = [...pids.entries()].filter(([role]) => role !== 'middle').flatMap(([, list]) => list);
    spawnedPids.push(...all);
    for (const pid of all) expect(isProcessRunning(pid)).toBe(true);
    return { nx, pids, all };
  }

  test('SIGKILL of only its main process: the task process stops its workers (daemon included) and exits', async () => {
    const { nx, all } = await startNxStandIn();
    process.kill(nx.pid!, 'SIGKILL');
    await waitFor(() => allGone(all), 'every process of the task to be gone');
    await sleep(2500); // past the moment the orphan would have written its interface
    expect(existsSync(path.join(dir, 'interface.json'))).toBe(false);
  });

  test('SIGKILL of its whole process group: the watchdogs end the workers and the daemon', async () => {
    const { nx, pids, all } = await startNxStandIn();
    process.kill(-nx.pid!, 'SIGKILL');
    // The task process died with nx; the workers ran in groups of their own and must not survive it.
    await waitFor(() => allGone(pids.get('task')!), 'the task process to die');
    await waitFor(() => allGone(all), 'every worker process to be gone');
    expect(existsSync(path.join(dir, 'interface.json'))).toBe(false);
  });
});
