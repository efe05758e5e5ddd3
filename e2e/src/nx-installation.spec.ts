// Issue 19 #2: a repository without a root package.json, where `nx init` made an `.nx/installation` (Nx 24). The
// README's install for that case (the plugin's tarball in nx.json `installation.plugins`, then `./nx g
// nx-worker-publish:init`) works as written; the targets' help command runs the installed bin, not the npm registry's;
// a collection under Nx 24 succeeds without the false "closed its connection" alarm. npm is served from the npm
// cache through a registry on 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layFixtureWorkers } from '../../tools/fixture-workers/src';
import { E2E_REPO, startE2eServers, type E2eServers } from './support/e2e-servers';
import { startNpmCacheRegistry, type NpmCacheRegistry } from './support/npm-cache-registry';
import { REPO_ROOT } from './support/nx-workspace';
import { stripAnsi } from './support/strip-ansi';

jest.setTimeout(600_000);

const NX_24 = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'nx-24', 'package.json'), 'utf8')).version as string;

let scratch: string;
let registry: NpmCacheRegistry;
let servers: E2eServers;
let tarball: string;
let repo: string;

interface Result {
  status: number | null;
  output: string;
}

/** Asynchronous: the registry answering npm lives in this process. No variable of the outer run leaks in. */
function run(command: string, args: string[], cwd: string): Promise<Result> {
  const outer = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|NX_|NODE_OPTIONS$|GITHUB_|INIT_CWD$|WORKERS_REGISTRY_)/i.test(name)));
  const env = {
    ...outer,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    CI: 'true',
    // Nx's copy of its native binary goes with the scratch folder (by default one per workspace path stays in /tmp).
    NX_NATIVE_FILE_CACHE_DIRECTORY: join(scratch, 'nx-native-file-cache'),
    npm_config_registry: registry.url,
    npm_config_cache: join(scratch, 'npm-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 400_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output: stripAnsi(output) });
    });
  });
}

function expectOk(result: Result, what: string): Result {
  if (result.status !== 0) throw new Error(`${what} exited with ${result.status}:\n${result.output}`);
  return result;
}

const nx = (args: string[]) => run(join(repo, 'nx'), args, repo);
const git = (...args: string[]) => run('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', ...args], repo);

beforeAll(async () => {
  scratch = realpathSync(mkdtempSync(join(tmpdir(), 'nxwp-e2e-dot-nx-')));
  registry = await startNpmCacheRegistry();
  servers = await startE2eServers();
  const pack = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', scratch], join(REPO_ROOT, 'packages', 'nx-worker-publish'));
  expectOk(pack, 'npm pack');
  tarball = join(scratch, readdirSync(scratch).find((file) => file.endsWith('.tgz'))!);

  // The workers repository before Nx: worker folders, no package.json at the root.
  repo = join(scratch, 'workers');
  mkdirSync(repo);
  layFixtureWorkers(repo, {
    'node-todo': { projectRoot: 'node-todo', targetOptions: { 'publish-interface': { apiUrl: servers.registry.url, repoUrl: E2E_REPO.url, imageTag: 'ghcr.io/iii-hq/node-todo:{version}' } } },
  });
  // Each Node worker installs its own dependencies there (here: the repository's iii-sdk).
  mkdirSync(join(repo, 'node-todo', 'node_modules'));
  symlinkSync(join(REPO_ROOT, 'node_modules', 'iii-sdk'), join(repo, 'node-todo', 'node_modules', 'iii-sdk'), 'dir');
  writeFileSync(join(repo, '.gitignore'), 'node_modules\ndist\n');
  expectOk(await git('init', '-q', '-b', 'main'), 'git init');

  // What `nx init` does in a repository without package.json: nx.json with an installation, the ./nx wrapper, and a
  // first `./nx --version`, which installs Nx into .nx/installation.
  const dotNxSetup = join(REPO_ROOT, 'node_modules', 'nx-24', 'dist', 'src', 'command-line', 'init', 'implementation', 'dot-nx', 'add-nx-scripts.js');
  const init = `require(${JSON.stringify(dotNxSetup)}).generateDotNxSetup(${JSON.stringify(NX_24)})`;
  expectOk(await run(process.execPath, ['-e', init], repo), 'nx init (.nx installation)');
});

afterAll(async () => {
  await registry?.close();
  await servers?.close();
  if (scratch && process.env.NXWP_E2E_KEEP !== '1') rmSync(scratch, { recursive: true, force: true });
});

test('the README install: the tarball in installation.plugins, then ./nx g nx-worker-publish:init', async () => {
  const nxJsonFile = join(repo, 'nx.json');
  const nxJson = JSON.parse(readFileSync(nxJsonFile, 'utf8'));
  expect(nxJson.installation.version).toBe(NX_24);
  nxJson.installation.plugins = { 'nx-worker-publish': `file:${tarball}` };
  writeFileSync(nxJsonFile, JSON.stringify(nxJson, null, 2));

  expectOk(await nx(['g', 'nx-worker-publish:init']), './nx g nx-worker-publish:init');
  expect(JSON.parse(readFileSync(nxJsonFile, 'utf8')).plugins).toEqual(['nx-worker-publish']);
  expect(readdirSync(join(repo, '.nx', 'installation', 'node_modules'))).toContain('nx-worker-publish');
  expectOk(await git('add', '-A'), 'git add');
  expectOk(await git('commit', '-q', '-m', 'nx'), 'git commit');
});

test('the help command of the targets runs the installed bin', async () => {
  const shown = expectOk(await nx(['show', 'project', 'node-todo', '--json']), './nx show project');
  const project = JSON.parse(shown.output.slice(shown.output.search(/^\{/m)));
  const help = project.targets['collect-interface'].metadata.help.command as string;
  expect(help).toBe('node .nx/installation/node_modules/nx-worker-publish/bin/worker-publish.js collect --help');
  const printed = expectOk(await run('/bin/sh', ['-c', help], repo), help);
  expect(printed.output).toContain('Usage: worker-publish collect');
});

test('a dry run under Nx 24 collects and writes the payload, with no false alarm about the parent process', async () => {
  const dryRun = expectOk(await nx(['run', 'node-todo:publish-interface:dry-run']), './nx run node-todo:publish-interface:dry-run');
  expect(dryRun.output).toContain('worker registered: node-todo');
  expect(dryRun.output).not.toContain('closed its connection');
  const payload = JSON.parse(readFileSync(join(repo, 'dist', 'node-todo', 'publish-payload.json'), 'utf8'));
  expect(payload).toMatchObject({ worker_name: 'node-todo', version: '0.3.0', image_tag: 'ghcr.io/iii-hq/node-todo:0.3.0' });
  expect(servers.registry.requests.filter((request) => request.method !== 'GET')).toEqual([]);
});
