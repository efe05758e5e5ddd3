import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '..', 'bin', 'registry-server.cjs');

// The bin compiles the stand-in's TypeScript as it loads: generous on a loaded machine.
jest.setTimeout(60_000);

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

  it('serves /resolve, skills and finalize, with the switches that store another sha256 and lose an answer after the write', async () => {
    const url = await start(['--fault', 'store-other-sha256', '--fault', 'answer-after=503:PUT:/w/skills/tags']);
    const headers = { 'content-type': 'application/json', 'x-api-key': 'cli-key' };
    const sha = 'a'.repeat(64);
    const payload = {
      worker_name: 'skills', version: '0.1.0-rc.1', type: 'binary', readme: '', repo: 'https://github.com/x/y', description: '',
      dependencies: [{ name: 'helper', version: '^1' }], config: {}, functions: [], triggers: [], experimental: false,
      binaries: { 'x86_64-unknown-linux-gnu': { url: 'https://example.invalid/a.tar.gz', sha256: sha } },
    };
    expect((await fetch(`${url}/publish`, { method: 'POST', headers, body: JSON.stringify(payload) })).status).toBe(200);
    const resolved = (await (await fetch(`${url}/resolve`, { method: 'POST', headers, body: JSON.stringify({ worker: 'skills', version: '0.1.0-rc.1' }) })).json()) as { root: unknown; graph: unknown[] };
    expect(resolved.root).toEqual({ name: 'skills', version: '0.1.0-rc.1' });
    expect(resolved.graph[0]).toMatchObject({ dependencies: { helper: '^1' }, binaries: { 'x86_64-unknown-linux-gnu': { sha256: 'e'.repeat(64) } } });
    const missing = await fetch(`${url}/resolve`, { method: 'POST', headers, body: JSON.stringify({ worker: 'skills', version: '9.9.9' }) });
    expect([missing.status, ((await missing.json()) as { error: { code: string } }).error.code]).toEqual([422, 'version_not_found']);

    const skills = { 'SKILL.md': '# skills\n' };
    expect(await (await fetch(`${url}/w/skills/skills`, { method: 'POST', headers, body: JSON.stringify({ version: '0.1.0-rc.1', skills }) })).json()).toEqual({ version: '0.1.0-rc.1' });
    expect(((await (await fetch(`${url}/w/skills/skills?version=0.1.0-rc.1`)).json()) as { skills: unknown }).skills).toEqual([{ path: 'SKILL.md', content: '# skills\n' }]);

    const move = await fetch(`${url}/w/skills/tags/next`, { method: 'PUT', headers, body: JSON.stringify({ version: '0.1.0-rc.1', expected_current_version: null }) });
    expect(move.status).toBe(503); // the move happened; its answer was lost
    const finalize = await fetch(`${url}/w/skills/releases/finalize`, {
      method: 'POST', headers, body: JSON.stringify({ candidate_version: '0.1.0-rc.1', stable_version: '0.1.0', expected_latest_version: null }),
    });
    expect(await finalize.json()).toEqual({ finalize: { stable_version: '0.1.0' }, changed: true });
    const { versions } = (await (await fetch(`${url}/w/skills/versions`)).json()) as { versions: { version: string; tags: string[] }[] };
    expect(versions.find((v) => v.version === '0.1.0')?.tags).toEqual(['latest', 'next']);
  });

  it('refuses an unknown fault with the usage', async () => {
    await expect(start(['--fault', 'nonsense'])).rejects.toThrow(/exited with 1/);
  });
});
