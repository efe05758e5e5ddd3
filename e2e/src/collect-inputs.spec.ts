// Collection re-runs only when something that can change the interface changed (issue 11, point 6): the worker's
// own files and the npm packages it depends on, not its README, a Dockerfile or a package the worker does not use.
// (Nx itself hashes every target's options of the project into each task, so options in project.json are not
// something inputs can leave out.) A `workerInterface` named input in nx.json replaces the plugin's file inputs.
import { fixturesThat } from '../../tools/fixture-workers/src';
import { startE2eServers, type E2eServers } from './support/e2e-servers';
import { expectSuccess } from './support/expect-run';
import { layHappyWorkers } from './support/happy-workers';
import { taskCacheStatus } from './support/nx-output';
import { NxWorkspace } from './support/nx-workspace';

jest.setTimeout(240_000);

const COLLECT = 'node-todo:collect-interface';

/** A lockfile as npm writes it for this workspace: node-todo depends on iii-sdk; left-pad is someone else's. */
function lockfile(versions: { iiiSdk: string; leftPad: string }) {
  return {
    name: 'e2e-inputs',
    version: '0.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'e2e-inputs', version: '0.0.0', dependencies: { 'left-pad': versions.leftPad } },
      'node_modules/iii-sdk': { version: versions.iiiSdk, resolved: `https://registry.npmjs.org/iii-sdk/-/iii-sdk-${versions.iiiSdk}.tgz` },
      'node_modules/left-pad': { version: versions.leftPad, resolved: `https://registry.npmjs.org/left-pad/-/left-pad-${versions.leftPad}.tgz` },
    },
  };
}

let servers: E2eServers;
let workspace: NxWorkspace;

async function collect(...flags: string[]) {
  workspace.clearMarkers();
  const run = await workspace.nx(['run', COLLECT, ...flags]);
  expectSuccess(run);
  return { status: taskCacheStatus(run.output, COLLECT), started: fixturesThat(workspace.markerDir, 'started'), output: run.output };
}

/** Applies a change, commits it, and reports whether collection then ran or came from the cache. */
async function afterChange(change: () => void) {
  change();
  workspace.commitAll('change');
  return collect();
}

beforeAll(async () => {
  servers = await startE2eServers();
  workspace = NxWorkspace.create({ label: 'inputs' });
  layHappyWorkers(workspace, servers, ['node-todo']);
  const manifest = workspace.readJson('workers/node-todo/package.json');
  workspace.write('workers/node-todo/package.json', `${JSON.stringify({ ...manifest, dependencies: { 'iii-sdk': '^0.22.0' } }, null, 2)}\n`);
  workspace.write('package-lock.json', `${JSON.stringify(lockfile({ iiiSdk: '0.22.1', leftPad: '1.3.0' }), null, 2)}\n`);
  workspace.commitAll('node-todo');
  const first = await collect();
  expect(first.status).toBe('ran');
  expect(first.started).toEqual(['node-todo']);
});

afterAll(async () => {
  await servers?.close();
  workspace?.dispose();
});

test('the inferred inputs name the worker files, its own npm dependencies, nothing else', async () => {
  const run = await workspace.nx(['show', 'project', 'node-todo', '--json']);
  expectSuccess(run);
  const project = JSON.parse(run.output.slice(run.output.indexOf('{')));
  const inputs = project.targets['collect-interface'].inputs;
  expect(inputs).toContain('{projectRoot}/**/*');
  expect(inputs).toContain('!{projectRoot}/**/*.md');
  expect(inputs).toContainEqual({ externalDependencies: ['iii-sdk'] });
  // `^default`: a change in a worker it depends on selects its publish in `nx affected` (issue 19).
  expect(project.targets['publish-interface'].inputs).toEqual(['{projectRoot}/**/*', '^default']);
});

test.each([
  ['a README edit', () => workspace.write('workers/node-todo/README.md', '# node-todo\n\nNow with more words.\n')],
  ['a new Dockerfile', () => workspace.write('workers/node-todo/Dockerfile', 'FROM node:20\nCOPY . .\n')],
  ['an unrelated package in the lockfile', () => workspace.write('package-lock.json', JSON.stringify(lockfile({ iiiSdk: '0.22.1', leftPad: '1.3.1' })))],
])('%s does not start the worker again', async (_what, change) => {
  const run = await afterChange(change);
  expect(run.status).toMatch(/^(local cache|existing outputs match the cache)$/);
  expect(run.started).toEqual([]);
});

test.each([
  ['another iii-sdk version in the lockfile', () => workspace.write('package-lock.json', JSON.stringify(lockfile({ iiiSdk: '0.22.2', leftPad: '1.3.1' })))],
  ['a change to the worker source', () => workspace.write('workers/node-todo/worker.js', `${workspace.read('workers/node-todo/worker.js')}\n// changed\n`)],
])('%s collects again', async (_what, change) => {
  const run = await afterChange(change);
  expect(run.status).toBe('ran');
  expect(run.started).toEqual(['node-todo']);
});

test('a `workerInterface` named input in nx.json replaces the file inputs', async () => {
  const nxJson = workspace.readJson('nx.json');
  workspace.write('nx.json', `${JSON.stringify({ ...nxJson, namedInputs: { workerInterface: ['{projectRoot}/worker.js'] } }, null, 2)}\n`);
  workspace.commitAll('workerInterface');
  const run = await workspace.nx(['show', 'project', 'node-todo', '--json']);
  expectSuccess(run);
  const inputs = JSON.parse(run.output.slice(run.output.indexOf('{'))).targets['collect-interface'].inputs;
  expect(inputs[0]).toBe('workerInterface');
  expect(inputs).not.toContain('{projectRoot}/**/*');
  await collect(); // the new inputs give a new hash once
  // config.yaml is outside the narrowed set now
  const run2 = await afterChange(() => workspace.write('workers/node-todo/config.yaml', `${workspace.read('workers/node-todo/config.yaml')}\n# comment\n`));
  expect(run2.status).toMatch(/^(local cache|existing outputs match the cache)$/);
});

test('--verbose shows the launch plan, the commands and the log paths, also in batch mode (the default)', async () => {
  workspace.clearMarkers();
  const run = await workspace.nx(['run', COLLECT, '--verbose', '--skip-nx-cache']);
  expectSuccess(run);
  expect(run.output).toContain('✔ launch plan: start-script');
  expect(run.output).toMatch(/^ {2}not build-output: /m);
  expect(run.output).toMatch(/^ {2}worker command: node worker\.js --nxwp-fixture=node-todo \(in .*workers\/node-todo\)$/m);
  expect(run.output).toMatch(/^ {2}worker log: .*worker-publish\/node-todo\/worker\.log$/m);
});

test('the targets carry a help command that prints options and a target group', async () => {
  const run = await workspace.nx(['show', 'project', 'node-todo', '--json']);
  const project = JSON.parse(run.output.slice(run.output.indexOf('{')));
  expect(project.metadata.targetGroups).toEqual({ 'iii worker': ['collect-interface', 'publish-interface', 'interface-diff', 'finalize-release'] });
  expect(project.targets['collect-interface'].metadata.help.command).toBe('npx worker-publish collect --help');
});
