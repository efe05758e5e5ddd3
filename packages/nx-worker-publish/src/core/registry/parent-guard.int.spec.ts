import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startRegistryServer, type RegistryServer } from '../../../../../tools/registry-server/src';

jest.setTimeout(90_000);

const KEY = 'sk-orphan-test';
const REGISTRY_SRC = join(__dirname, 'index.ts');

/**
 * The publish of a real child process whose parent (standing in for nx) is killed with SIGKILL while the publish
 * waits for its first read: it must write nothing after that (issue 20 §2, "Publish outlives nx").
 */
const CHILD = `
const { readFileSync, writeFileSync } = require('node:fs');
const [apiUrl, key, out, registry] = process.argv.slice(2);
const ts = require(require.resolve('typescript', { paths: [registry] }));
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true }, fileName: filename,
  });
  module._compile(outputText, filename);
};
const { publishToRegistry, parentGuard } = require(registry);
const payload = { worker_name: 'skills', version: '0.1.4', type: 'image', readme: '', repo: 'https://github.com/x/y', description: null,
  dependencies: [], config: {}, functions: [{ name: 'f', description: '', request_schema: {}, response_schema: {}, metadata: {} }], triggers: [],
  experimental: false, image_tag: 'ghcr.io/x/skills:0.1.4' };
publishToRegistry({ apiUrl, apiKey: key, payload, payloadText: JSON.stringify(payload), registryTag: 'next', stopBeforeWrite: parentGuard(), timeoutMs: 60000 })
  .then(() => writeFileSync(out, 'published'), (error) => writeFileSync(out, error.message));
`;

let server: RegistryServer;
let dir: string;
let parent: ChildProcess | undefined;
let childPid = 0;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parent-guard-'));
  writeFileSync(join(dir, 'child.js'), CHILD);
});
afterEach(async () => {
  if (parent?.exitCode === null) parent.kill('SIGKILL');
  try {
    if (childPid) process.kill(childPid, 'SIGKILL');
  } catch {
    // already gone
  }
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, condition: () => boolean, deadlineMs = 60_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

it('a publish whose parent was killed with SIGKILL writes nothing more, and says why', async () => {
  let release: () => void = () => undefined;
  server = await startRegistryServer({ apiKey: KEY, faults: { holdRequests: new Promise<void>((resolve) => (release = resolve)) } });
  const out = join(dir, 'result.txt');
  // The "nx" of this test: starts the publish as its child and prints the child's pid.
  const starter = `const c = require('node:child_process').spawn(process.execPath, ${JSON.stringify([join(dir, 'child.js'), server.url, KEY, out, REGISTRY_SRC])}, { stdio: 'ignore', cwd: ${JSON.stringify(process.cwd())} }); console.log(c.pid); setInterval(() => {}, 1000);`;
  parent = spawn(process.execPath, ['-e', starter], { stdio: ['ignore', 'pipe', 'inherit'] });
  childPid = await new Promise<number>((resolve) => parent!.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));

  await until('the first read of the publish', () => server.requests.some((r) => r.path === '/w/skills/versions'));
  parent.kill('SIGKILL');
  await new Promise((resolve) => parent!.once('exit', resolve));
  release();

  await until('the orphaned publish to end', () => !alive(childPid) && existsSync(out));
  expect(readFileSync(out, 'utf8')).toMatch(/^Stopped before POST http:\/\/127\.0\.0\.1:\d+\/publish: the process that started this publish \(pid \d+, nx\) is gone\. Nothing more was written/);
  expect(server.requests.filter((r) => r.method !== 'GET' && r.path !== '/resolve')).toEqual([]);
});
