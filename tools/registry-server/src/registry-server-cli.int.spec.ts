import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '..', 'bin', 'registry-server.cjs');

/** The stand-in as a user runs it: a process that prints its URL and answers until it gets SIGTERM. */
describe('node tools/registry-server/bin/registry-server.cjs', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
  });

  async function start(args: string[]): Promise<string> {
    child = spawn(process.execPath, [BIN, '--port', '0', ...args], { env: { ...process.env, WORKERS_REGISTRY_API_KEY: 'cli-key' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    return new Promise((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match) resolve(match[1]);
      });
      child!.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
    });
  }

  it('serves the registry endpoints with the key from the environment and the fault switches of the command line', async () => {
    const url = await start(['--fault', 'ok-false']);
    expect((await fetch(`${url}/w/skills/versions`)).status).toBe(404);
    const unauthorized = await fetch(`${url}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unauthorized.status).toBe(401);
    const payload = {
      worker_name: 'skills', version: '0.1.0', type: 'image', readme: '', repo: 'https://github.com/x/y', description: '',
      dependencies: [], config: {}, functions: [], triggers: [], experimental: false, image_tag: 'ghcr.io/x/skills:0.1.0',
    };
    const send = () => fetch(`${url}/publish`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'cli-key' }, body: JSON.stringify(payload) });
    const refused = await send();
    expect(refused.status).toBe(200);
    expect(await refused.json()).toEqual({ ok: false, error: 'storage write failed' });
    expect(await (await send()).json()).toEqual({ version: { version: '0.1.0' } });
    expect(await (await fetch(`${url}/w/skills/versions`)).json()).toEqual({ versions: [{ version: '0.1.0', tag: null, tags: [], dependencies: [] }] });
    child!.kill('SIGTERM');
    expect(await new Promise((resolve) => child!.once('exit', resolve))).toBe(0);
  });

  it('refuses an unknown fault with the usage', async () => {
    await expect(start(['--fault', 'nonsense'])).rejects.toThrow(/exited with 1/);
  });
});
