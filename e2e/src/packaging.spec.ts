// The packed plugin as a user installs it (issue 11, point 1): `npm pack` of a clean copy (prepack builds it), then
// one `npm install -D <tgz>` into a fresh Nx 22.7 and a fresh Nx 24 workspace, `nx add` with a tarball spec, and the
// CLI in a folder without Nx. Packages come from the npm cache as `npm ci` left it, through a registry on 127.0.0.1.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as tar from 'tar';
import { startNpmCacheRegistry, type NpmCacheRegistry } from './support/npm-cache-registry';
import { REPO_ROOT } from './support/nx-workspace';

jest.setTimeout(600_000);

const PACKAGE_DIR = join(REPO_ROOT, 'packages', 'nx-worker-publish');

let scratch: string;
let registry: NpmCacheRegistry;
let tarball: string;
let tarballFiles: string[];

/** npm and Nx without anything the outer run (jest under `npm test`, CI) would add to their behaviour. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|NX_|NODE_OPTIONS$|GITHUB_|INIT_CWD$)/i.test(name)));
  return {
    ...env,
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
    ...extra,
  };
}

interface RunResult {
  status: number | null;
  stdout: string;
  output: string;
}

/** Asynchronous on purpose: the registry answering npm lives in this very process. */
function run(command: string, args: string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk), (output += chunk)));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, output });
    });
  });
}

function expectOk(result: RunResult, what: string) {
  if (result.status !== 0) throw new Error(`${what} exited with ${result.status}:\n${result.output}`);
}

/** A checkout without dist/ (what a clean clone has), sharing the repository's install. */
function cleanCopyOfThePackage(): string {
  const repo = join(scratch, 'clone');
  mkdirSync(join(repo, 'packages'), { recursive: true });
  for (const file of ['README.md', 'LICENSE', 'tsconfig.base.json']) cpSync(join(REPO_ROOT, file), join(repo, file));
  const ignored = new Set(['dist', 'README.md', 'LICENSE']);
  cpSync(PACKAGE_DIR, join(repo, 'packages', 'nx-worker-publish'), {
    recursive: true,
    filter: (source) => {
      const inside = relative(PACKAGE_DIR, source);
      return !ignored.has(inside) && !inside.endsWith('.tgz');
    },
  });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(repo, 'node_modules'), 'dir');
  return join(repo, 'packages', 'nx-worker-publish');
}

/** What `create-nx-workspace --preset=npm` leaves: a package.json with nx, an nx.json, nx installed. */
async function freshNxWorkspace(label: string, nxVersion: string): Promise<string> {
  const root = join(scratch, label);
  mkdirSync(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: label, version: '0.0.0', private: true, devDependencies: { nx: nxVersion } }, null, 2));
  writeFileSync(join(root, 'nx.json'), JSON.stringify({ $schema: './node_modules/nx/schemas/nx-schema.json' }, null, 2));
  expectOk(await run('npm', ['install', '--prefer-offline'], root), `npm install in the fresh Nx ${nxVersion} workspace`);
  return root;
}

const nxCli = (root: string) => join(root, 'node_modules', 'nx', JSON.parse(readFileSync(join(root, 'node_modules', 'nx', 'package.json'), 'utf8')).bin.nx);
const nx = (root: string, args: string[]) => run(process.execPath, [nxCli(root), ...args], root);

function addWorker(root: string) {
  mkdirSync(join(root, 'workers', 'hello'), { recursive: true });
  writeFileSync(join(root, 'workers', 'hello', 'iii.worker.yaml'), 'iii: v1\nname: hello\nlanguage: node\ndeploy: image\nmanifest: package.json\n');
}

beforeAll(async () => {
  scratch = realpathSync(mkdtempSync(join(tmpdir(), 'nxwp-e2e-packaging-')));
  registry = await startNpmCacheRegistry();
  const packageCopy = cleanCopyOfThePackage();
  const pack = await run('npm', ['pack', '--pack-destination', scratch], packageCopy);
  expectOk(pack, 'npm pack');
  tarball = join(scratch, readdirSync(scratch).find((file) => file.endsWith('.tgz'))!);
  tarballFiles = [];
  await tar.t({ file: tarball, onReadEntry: (entry) => void tarballFiles.push(entry.path.replace(/^package\//, '')) });
});

afterAll(async () => {
  await registry?.close();
  if (scratch && process.env.NXWP_E2E_KEEP !== '1') rmSync(scratch, { recursive: true, force: true });
});

test('the tarball holds the built code, schemas, README, LICENSE and the bin, and nothing dead', () => {
  for (const file of ['README.md', 'LICENSE', 'package.json', 'bin/worker-publish.js', 'dist/index.js', 'dist/cli/main.js', 'executors.json', 'generators.json']) {
    expect(tarballFiles).toContain(file);
  }
  expect(tarballFiles).toContain('src/executors/collect-interface/schema.json');
  expect(tarballFiles).toContain('dist/executors/collect-interface/batch.js');
  expect(tarballFiles.filter((file) => file.endsWith('.map'))).toEqual([]);
  expect(tarballFiles.filter((file) => /\.spec\.|test-support/.test(file))).toEqual([]);
  expect(tarballFiles.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
  // Every file executors.json and generators.json point at is in the tarball.
  for (const manifest of ['executors.json', 'generators.json']) {
    const entries = Object.values(JSON.parse(readFileSync(join(PACKAGE_DIR, manifest), 'utf8'))).flatMap((group) => Object.values(group as object));
    for (const entry of entries as Record<string, string>[]) {
      for (const key of ['implementation', 'batchImplementation', 'factory']) {
        if (entry[key]) expect(tarballFiles).toContain(`${entry[key].replace(/^\.\//, '')}.js`);
      }
      expect(tarballFiles).toContain(entry.schema.replace(/^\.\//, ''));
    }
  }
  const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8'));
  expect(manifest.repository.url).toMatch(/^git\+https:\/\//);
  expect(manifest.keywords).toEqual(expect.arrayContaining(['nx', 'nx-plugin', 'iii']));
  expect(manifest.peerDependenciesMeta).toEqual({ '@nx/devkit': { optional: true }, nx: { optional: true } });
});

test.each([
  ['22.7.8', /^22\.7\./],
  ['24.0.6', /^24\./],
])('one `npm install -D <tgz>` into a fresh Nx %s workspace, and the plugin infers the targets', async (nxVersion, installed) => {
  const root = await freshNxWorkspace(`nx-${nxVersion}`, nxVersion);
  const install = await run('npm', ['install', '-D', tarball, '--prefer-offline'], root);
  expectOk(install, `npm install -D <tgz> into Nx ${nxVersion}`);
  expect(install.output).not.toMatch(/ERESOLVE|peer dep/i);
  expect(JSON.parse(readFileSync(join(root, 'node_modules', 'nx', 'package.json'), 'utf8')).version).toMatch(installed);
  // npm chose no devkit: the plugin takes the devkit API from the workspace's own nx.
  expect(existsSync(join(root, 'node_modules', '@nx', 'devkit'))).toBe(false);

  writeFileSync(join(root, 'nx.json'), JSON.stringify({ plugins: ['nx-worker-publish'] }, null, 2));
  addWorker(root);
  const show = await nx(root, ['show', 'project', 'hello', '--json']);
  expectOk(show, 'nx show project');
  const project = JSON.parse(show.stdout.slice(show.stdout.indexOf('{')));
  expect(Object.keys(project.targets).sort()).toEqual(['collect-interface', 'finalize-release', 'interface-diff', 'publish-interface']);
  expect(project.targets['collect-interface'].executor).toBe('nx-worker-publish:collect-interface');
});

test('`nx add nx-worker-publish@file:<tgz>` installs it and registers the plugin in nx.json', async () => {
  const root = await freshNxWorkspace('nx-add', '22.7.8');
  const add = await nx(root, ['add', `nx-worker-publish@file:${tarball}`]);
  expectOk(add, 'nx add');
  expect(JSON.parse(readFileSync(join(root, 'nx.json'), 'utf8')).plugins).toContain('nx-worker-publish');
  expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies['nx-worker-publish']).toMatch(/^file:/);
});

test('the CLI runs where Nx is not installed (Turborepo, plain scripts)', async () => {
  const root = join(scratch, 'no-nx');
  mkdirSync(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'no-nx', version: '0.0.0', private: true }, null, 2));
  expectOk(await run('npm', ['install', '-D', tarball, '--prefer-offline'], root), 'npm install -D <tgz> without nx');
  expect(existsSync(join(root, 'node_modules', 'nx'))).toBe(false);
  const help = await run(join(root, 'node_modules', '.bin', 'worker-publish'), ['collect', '--help'], root);
  expectOk(help, 'worker-publish collect --help');
  expect(help.stdout).toContain('Usage: worker-publish collect');
  expect(help.stdout).toContain('--wait-seconds');
});
