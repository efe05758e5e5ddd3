// Issue 19 #8: the README's quick start in a real terminal. `npm run demo` runs under `script` (a pseudo-terminal, as
// a person's shell has), outside CI: Nx must not stop at its analytics prompt nor edit the tracked nx.json, and the
// demo, which "sends nothing", must not ask the public registry either.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './support/nx-workspace';
import { stripAnsi } from './support/strip-ansi';

jest.setTimeout(300_000);

/** Runs `command` in a pseudo-terminal; a prompt waiting for an answer ends in the kill after `boundMs`. */
function inTerminal(command: string, boundMs: number): Promise<{ status: number | null; output: string }> {
  // Not CI, not under jest's or npm's variables: what a person's terminal has.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(CI|CONTINUOUS_INTEGRATION|BUILD_NUMBER|RUN_ID|GITHUB_.*|NX_.*|npm_.*|NODE_OPTIONS|JEST_WORKER_ID|INIT_CWD)$/i.test(name)),
  );
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: REPO_ROOT, env: { ...env, TERM: 'xterm' }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), boundMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output: stripAnsi(output) });
    });
  });
}

test('npm run demo in a terminal: no analytics prompt, nx.json untouched, no request to the public registry', async () => {
  const nxJsonBefore = readFileSync(join(REPO_ROOT, 'nx.json'), 'utf8');
  const demo = await inTerminal('npm run demo', 240_000);
  expect(demo.output).not.toMatch(/Share usage data|Help improve Nx/);
  expect(readFileSync(join(REPO_ROOT, 'nx.json'), 'utf8')).toBe(nxJsonBefore);
  expect({ status: demo.status, output: demo.output }).toEqual({ status: 0, output: expect.stringContaining('dry run: payload written to dist/examples/todo-worker/publish-payload.json') });
  expect(demo.output).toContain('registry not reachable at http://127.0.0.1:9/');
  expect(demo.output).not.toContain('api.workers.iii.dev');
});
