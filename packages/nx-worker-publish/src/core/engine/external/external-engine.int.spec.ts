import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { isProcessRunning } from '../../process-tree';
import path from 'node:path';
import { parse } from 'yaml';
import { probeEngineOnce, waitForEngineReady } from './engine-readiness';
import { startExternalEngine, type RunningExternalEngine } from './external-engine';
import { EngineCommandNotFoundError, EngineExitedError, EngineNotReadyError } from './external-engine-errors';
import { pickFreePort } from './free-port';

// The stand-in for the `iii` binary: `worker-publish engine` from this package's build (npm run build).
const cliMain = path.resolve(__dirname, '../../../../dist/cli/main.js');
function standIn(): string[] {
  if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: run npm run build first`);
  return [process.execPath, cliMain, 'engine'];
}
const keepRunning = path.resolve(__dirname, '../../worker-process/test-support/keep-running.js');

jest.setTimeout(30_000);

let workDir: string;
const engines: RunningExternalEngine[] = [];

beforeEach(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'external-engine-'));
});

afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
  rmSync(workDir, { recursive: true, force: true });
});

/** A zombie (dead, waiting for init to reap it) is not alive. */
const isAlive = isProcessRunning;

test('starts the engine on a free port from a generated config, answers the probe, and stops completely', async () => {
  const engine = await startExternalEngine({ engineCommand: standIn(), workDir });
  engines.push(engine);

  expect(engine.url).toBe(`ws://127.0.0.1:${engine.port}`);
  expect(parse(readFileSync(engine.configFile, 'utf8'))).toEqual({
    workers: [{ name: 'iii-worker-manager', config: { host: '127.0.0.1', port: engine.port } }],
  });
  expect(path.dirname(engine.configFile)).toBe(workDir);
  expect(path.dirname(engine.logFile)).toBe(workDir);
  await probeEngineOnce(engine.url, 5000);
  await waitForEngineReady(engine.url, 5000);
  expect(readFileSync(engine.logFile, 'utf8')).toContain(String(engine.port));

  await engine.stop();
  expect(isAlive(engine.pid)).toBe(false);
  await expect(waitForEngineReady(engine.url, 300)).rejects.toBeInstanceOf(EngineNotReadyError);
});

test('the string form of engineCommand is split into command and args', async () => {
  const engine = await startExternalEngine({ engineCommand: standIn().join(' '), workDir });
  engines.push(engine);
  await probeEngineOnce(engine.url, 5000);
});

test('an engine that exits at once fails fast with its exit code and log tail', async () => {
  const error = await startExternalEngine({
    engineCommand: `${process.execPath} -e "console.error('engine: bad config, giving up'); process.exit(4)" --`,
    workDir,
    readyTimeoutMs: 120_000, // failing fast must not depend on this
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EngineExitedError);
  expect((error as EngineExitedError).code).toBe(4);
  expect((error as Error).message).toContain('exited with code 4 before it was ready');
  expect((error as Error).message).toContain('engine: bad config, giving up');
});

test('an engine that never answers times out with the log tail and is stopped', async () => {
  const error = (await startExternalEngine({
    engineCommand: [process.execPath, keepRunning],
    workDir,
    readyTimeoutMs: 5000, // long enough for the stand-in to print its pid on a loaded 2-core machine
  }).catch((e: unknown) => e)) as EngineNotReadyError;
  expect(error).toBeInstanceOf(EngineNotReadyError);
  expect(error.message).toContain('within 5 s');
  const pid = Number(/keep-running pid (\d+)/.exec(error.message)?.[1]);
  expect(pid).toBeGreaterThan(0); // the tail shows what the engine printed
  expect(isAlive(pid)).toBe(false);
});

test('a missing engine command says to install iii or use the embedded engine', async () => {
  const error = await startExternalEngine({ engineCommand: 'iii-not-installed-xyz', workDir }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EngineCommandNotFoundError);
  expect((error as Error).message).toContain('"iii-not-installed-xyz" was not found');
  expect((error as Error).message).toContain('engine: embedded');
});

test('a port taken by another process after it was picked: retried once on a new port', async () => {
  // Another program holding the port (it reads what our readiness probe sends and answers nothing).
  const squatter: Server = createServer((socket) => socket.resume());
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  const takenPort = (squatter.address() as { port: number }).port;
  const picked: number[] = [];
  try {
    const engine = await startExternalEngine(
      { engineCommand: standIn(), workDir },
      {
        pickPort: async (host) => {
          const port = picked.length === 0 ? takenPort : await pickFreePort(host);
          picked.push(port);
          return port;
        },
      },
    );
    engines.push(engine);
    expect(picked).toHaveLength(2);
    expect(engine.port).toBe(picked[1]);
    expect(engine.port).not.toBe(takenPort);
    await probeEngineOnce(engine.url, 5000);
  } finally {
    await new Promise((resolve) => squatter.close(resolve));
  }
});

test('the engine inherits neither the always-withheld tokens nor the names it is told to withhold (issue 12 #2)', async () => {
  process.env.GITHUB_TOKEN = 'ghs_engine_SECRET';
  process.env.MY_REGISTRY_KEY = 'wpk_engine_SECRET';
  process.env.PLAIN_FOR_ENGINE = 'plain';
  let engine: RunningExternalEngine;
  try {
    engine = await startExternalEngine({ engineCommand: standIn(), workDir, withheldEnv: ['MY_REGISTRY_KEY'] });
    engines.push(engine);
  } finally {
    delete process.env.GITHUB_TOKEN;
    delete process.env.MY_REGISTRY_KEY;
    delete process.env.PLAIN_FOR_ENGINE;
  }
  // The engine's own environment, as the kernel holds it.
  const environ = readFileSync(`/proc/${engine.pid}/environ`, 'utf8').split('\0');
  expect(environ).toContain('PLAIN_FOR_ENGINE=plain');
  expect(environ.filter((entry) => entry.includes('SECRET'))).toEqual([]);
});
