import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { RawClient } from '../core/engine/test-support/raw-client';

// The built `worker-publish` bin (the suite runs after `npm run build`).
const BIN = path.resolve(__dirname, '../../dist/cli/main.js');

jest.setTimeout(30_000);

interface Run {
  child: ChildProcess;
  firstLine: Promise<string>;
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function runBin(args: string[]): Run {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const firstLine = new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', () => reject(new Error(`exited before printing a line; stderr: ${stderr}`)));
  });
  firstLine.catch(() => undefined);
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, firstLine, exit };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('worker-publish engine (built bin)', () => {
  const running: ChildProcess[] = [];
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" before the test suite.`);
    dir = await mkdtemp(path.join(tmpdir(), 'worker-publish-engine-'));
  });

  afterAll(async () => {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  const start = (args: string[]) => {
    const run = runBin(args);
    running.push(run.child);
    return run;
  };

  // The version the in-process workers report tells the generations apart; 0.23 rows also carry `namespace`.
  test.each([
    ['0.23 (default)', [] as string[], '0.23.0'],
    ['0.26', ['--generation', '0.26'], '0.26.0'],
    ['0.25', ['--generation', '0.25'], '0.25.0'],
    ['0.23', ['--generation', '0.23'], '0.23.0'],
    ['0.13', ['--generation', '0.13'], '0.22.1'],
    ['current (alias of 0.13)', ['--generation', 'current'], '0.22.1'],
    ['0.11', ['--generation', '0.11'], '0.11.6-next.1'],
    ['legacy (alias of 0.11)', ['--generation', 'legacy'], '0.11.6-next.1'],
  ])('prints its URL first, serves generation %s, and exits 0 on SIGTERM', async (_name, extra, version) => {
    const run = start(['engine', '--port', '0', ...extra]);
    const url = await run.firstLine;
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const client = await RawClient.connect(url);
    const listing = await client.result('engine::workers::list', {});
    const engineRow = listing.workers.find((w: { id: string }) => w.id === 'iii-engine-functions');
    expect(engineRow.version).toBe(version);
    expect('namespace' in engineRow).toBe(['0.23.0', '0.25.0', '0.26.0'].includes(version));
    expect('timestamp' in listing).toBe(version === '0.11.6-next.1');
    run.child.kill('SIGTERM');
    expect((await run.exit).code).toBe(0);
    expect(await client.closed).toBe(1001);
  });

  test('writes the engine log to stderr: a worker’s engine::log calls and its calls to services the engine lacks', async () => {
    const run = start(['engine']);
    const client = await RawClient.connect(await run.firstLine);
    client.register({ runtime: 'node', name: 'cli-logger', pid: 4321 });
    expect((await client.call('engine::log::warn', { message: 'disk almost full' })).error).toBeUndefined();
    expect((await client.call('stream::set', { stream_name: 's' })).error.code).toBe('function_not_found');
    await client.close();
    run.child.kill('SIGTERM');
    const { code, stderr } = await run.exit;
    expect(code).toBe(0);
    expect(stderr).toMatch(/WARN  \[cli-logger \([0-9a-f-]+\)\] disk almost full/);
    expect(stderr).toMatch(/function_not_found: worker cli-logger \([0-9a-f-]+\) called stream::set in namespace "default"; it belongs to stream \(iii-stream\)/);
  });

  test('stands in for `iii --config <file> --no-update-check`, binding what the config says; exits 0 on SIGINT', async () => {
    const port = await freePort();
    const file = path.join(dir, 'config.yaml');
    await writeFile(file, `workers:\n  - name: iii-http\n  - name: iii-worker-manager\n    config:\n      port: ${port}\n      host: 127.0.0.1\n`);
    const run = start(['--config', file, '--no-update-check']);
    expect(await run.firstLine).toBe(`ws://127.0.0.1:${port}`);
    const client = await RawClient.connect(`ws://127.0.0.1:${port}`);
    expect(client.workerId).toMatch(/^[0-9a-f-]{36}$/);
    run.child.kill('SIGINT');
    const { code, stdout, stderr } = await run.exit;
    expect(code).toBe(0);
    expect(stdout).toContain(`Engine listening on address: 127.0.0.1:${port}`);
    expect(stderr).toContain('does not run these configured workers: iii-http');
  });

  test('a bad config file exits 2 with one paragraph naming the file and the key', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, 'workers:\n  - name: iii-worker-manager\n    config:\n      port: not-a-port\n');
    const { code, stderr, stdout } = await start(['engine', '--config', file]).exit;
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`"${file}"`);
    expect(stderr).toContain('workers[0].config.port');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace

    const missing = await start(['engine', '-c', path.join(dir, 'missing.yaml')]).exit;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing.yaml" does not exist');
  });

  test('a busy port is a clear error naming host:port', async () => {
    const first = start(['engine']);
    const port = Number(new URL(await first.firstLine).port);
    const second = await start(['engine', '--port', String(port)]).exit;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`127.0.0.1:${port} is already in use`);
    first.child.kill('SIGTERM');
    expect((await first.exit).code).toBe(0);
  });

  test.each([
    [['engine', '--bogus'], /Unknown option '--bogus'[\s\S]*Usage: worker-publish engine/],
    [['engine', '--port', '70000'], /--port must be an integer from 0 to 65535/],
    [['engine', '--generation', 'old'], /--generation must be 0\.26, 0\.25, 0\.23, 0\.13 or 0\.11 \(or current \/ legacy\), not "old"/],
    [['engine', '--generation', '0.22'], /--generation must be 0\.26, 0\.25, 0\.23, 0\.13 or 0\.11 \(or current \/ legacy\), not "0\.22"/],
    [['publishh'], /Unknown command "publishh"[\s\S]*Usage: worker-publish <command>/],
    [[], /Missing command/],
  ])('usage errors exit 2: %j', async (args, message) => {
    const { code, stderr } = await start(args).exit;
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  test.each([
    [[] as string[], 'iii 0.23.0 (nx-worker-publish embedded engine, generation 0.23)'],
    [['--generation', '0.26'], 'iii 0.26.0 (nx-worker-publish embedded engine, generation 0.26)'],
  ])('--version %j answers like `iii --version` and exits 0', async (extra, line) => {
    const run = start(['engine', ...extra, '--version']);
    expect(await run.firstLine).toBe(line);
    expect((await run.exit).code).toBe(0);
  });

  test('--help prints usage and exits 0', async () => {
    const top = await start(['--help']).exit;
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/engine\s+run the embedded iii engine/);
    const engine = await start(['engine', '--help']).exit;
    expect(engine.code).toBe(0);
    expect(engine.stdout).toContain('--generation <gen>');
  });

  test('--version prints the package version and exits 0 (issue 19 #11)', async () => {
    const { code, stdout } = await start(['--version']).exit;
    expect(code).toBe(0);
    expect(stdout).toBe(`${JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version}\n`);
  });
});
