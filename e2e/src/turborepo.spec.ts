// The CLI under real Turborepo (issue 11, point 8): the README's turbo.json, package scripts run from the worker's
// folder, and a second run that is a turbo cache hit restoring the interface without starting the worker (the CLI's
// logs and downloads go under node_modules/.cache, which turbo does not hash).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturesThat, layFixtureWorker, MARKER_DIR_ENV } from '../../tools/fixture-workers/src';
import { REPO_ROOT } from './support/nx-workspace';
import { stripAnsi } from './support/strip-ansi';

jest.setTimeout(240_000);

const TURBO = join(REPO_ROOT, 'node_modules', '.bin', 'turbo');

/** The turbo.json of the README's Turborepo section, plus the marker variable the fixture worker reports through. */
const TURBO_JSON = {
  $schema: 'https://turborepo.com/schema.json',
  globalPassThroughEnv: [MARKER_DIR_ENV],
  tasks: {
    'collect-interface': { outputs: ['dist/**'], inputs: ['$TURBO_DEFAULT$', '!README.md', '!Dockerfile'] },
    'publish-interface': { dependsOn: ['collect-interface'], cache: false, passThroughEnv: ['WORKERS_REGISTRY_API_KEY'] },
  },
};

let root: string;
let markerDir: string;

function turbo(args: string[]): Promise<{ status: number | null; output: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|NX_|TURBO_|NODE_OPTIONS$|GITHUB_|WORKERS_REGISTRY_|III_)/i.test(name)));
  return new Promise((resolve, reject) => {
    const child = spawn(TURBO, args, {
      cwd: root,
      env: { ...env, [MARKER_DIR_ENV]: markerDir, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', TURBO_NO_UPDATE_NOTIFIER: '1', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output: stripAnsi(output) });
    });
  });
}

const write = (path: string, content: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), content);
};
const git = (...args: string[]) =>
  new Promise<void>((resolve, reject) => {
    const env = { ...process.env, GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@example.invalid', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@example.invalid' };
    spawn('git', args, { cwd: root, env, stdio: 'ignore' }).on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git ${args.join(' ')} failed`))));
  });

beforeAll(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'nxwp-e2e-turbo-')));
  markerDir = `${root}-markers`;
  mkdirSync(markerDir);
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  write('package.json', JSON.stringify({ name: 'turbo-e2e', private: true, packageManager: 'npm@11.19.1', workspaces: ['workers/*'] }, null, 2));
  write(
    'package-lock.json',
    JSON.stringify({
      name: 'turbo-e2e',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'turbo-e2e', workspaces: ['workers/*'] },
        'node_modules/node-todo': { resolved: 'workers/node-todo', link: true },
        'workers/node-todo': { version: '0.3.0' },
      },
    }),
  );
  write('turbo.json', JSON.stringify(TURBO_JSON, null, 2));
  write('.gitignore', 'node_modules\ndist\n.turbo\n');
  layFixtureWorker(root, 'node-todo');
  const manifest = JSON.parse(readFileSync(join(root, 'workers/node-todo/package.json'), 'utf8'));
  manifest.scripts = { 'collect-interface': 'worker-publish collect', 'publish-interface': 'worker-publish publish --dry-run --image-tag ghcr.io/acme/node-todo:0.3.0 --repo-url https://github.com/acme/workers' };
  write('workers/node-todo/package.json', JSON.stringify(manifest, null, 2));
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'turbo workspace');
});

afterAll(() => {
  if (process.env.NXWP_E2E_KEEP === '1') return;
  rmSync(root, { recursive: true, force: true });
  rmSync(markerDir, { recursive: true, force: true });
});

test('the first run collects from the worker folder: the interface lands in the package, named after the folder', async () => {
  const run = await turbo(['run', 'collect-interface', '--output-logs=full']);
  expect({ status: run.status, output: run.output }).toMatchObject({ status: 0 });
  expect(run.output).toContain('worker registered: node-todo');
  expect(fixturesThat(markerDir, 'started')).toEqual(['node-todo']);
  expect(JSON.parse(readFileSync(join(root, 'workers/node-todo/dist/worker-interface.json'), 'utf8')).functions.length).toBeGreaterThan(0);
});

test('a second run is a turbo cache hit that restores the interface without starting the worker', async () => {
  const first = readFileSync(join(root, 'workers/node-todo/dist/worker-interface.json'), 'utf8');
  rmSync(join(root, 'workers/node-todo/dist'), { recursive: true, force: true });
  rmSync(markerDir, { recursive: true, force: true });
  mkdirSync(markerDir);
  const run = await turbo(['run', 'collect-interface', '--output-logs=full']);
  expect({ status: run.status, output: run.output }).toMatchObject({ status: 0 });
  expect(run.output).toMatch(/cache hit/i);
  expect(run.output).toMatch(/Cached:\s+1 cached, 1 total/);
  expect(fixturesThat(markerDir, 'started')).toEqual([]);
  expect(readFileSync(join(root, 'workers/node-todo/dist/worker-interface.json'), 'utf8')).toBe(first);
});

test('publish runs every time after the cached collection, and writes the payload', async () => {
  const run = await turbo(['run', 'publish-interface', '--output-logs=full']);
  expect({ status: run.status, output: run.output }).toMatchObject({ status: 0 });
  expect(run.output).toContain('dry run: payload written to dist/publish-payload.json');
  expect(JSON.parse(readFileSync(join(root, 'workers/node-todo/dist/publish-payload.json'), 'utf8')).worker_name).toBe('node-todo');
});
