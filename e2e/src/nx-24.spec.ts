// The top of the peer range: the same plugin (with its @nx/devkit 22) loaded by Nx 24. The workspace's node_modules
// links every package of the repository's install except `nx`, which is the `nx-24` install.
import { realpathSync } from 'node:fs';
import { fixturesThat } from '../../tools/fixture-workers/src';
import { startE2eServers, type E2eServers } from './support/e2e-servers';
import { expectFailure, expectSuccess } from './support/expect-run';
import { nodeTodoPayload } from './support/golden-payloads';
import { buildBuiltGreeterLocally, builtGreeterDescription, interfaceFile, layHappyWorkers, payloadFile } from './support/happy-workers';
import { failureParagraph, taskCacheStatus } from './support/nx-output';
import { NxWorkspace } from './support/nx-workspace';

jest.setTimeout(180_000);

let servers: E2eServers;
let workspace: NxWorkspace;

beforeAll(async () => {
  servers = await startE2eServers();
  workspace = NxWorkspace.create({ label: 'nx24', nx: 'nx-24' });
  layHappyWorkers(workspace, servers, ['node-todo', 'built-greeter']);
  workspace.commitAll('node-todo and built-greeter');
});

afterAll(async () => {
  await servers?.close();
  workspace?.dispose();
});

test('Nx 24 loads the plugin and `publish-interface --dryRun` writes the expected payload', async () => {
  expect(workspace.readJson('node_modules/nx/package.json').version).toMatch(/^24\./);
  expect(realpathSync(workspace.path('node_modules/nx-worker-publish'))).toBe(realpathSync(`${__dirname}/../../packages/nx-worker-publish`));

  const run = await workspace.nx(['run', 'node-todo:publish-interface', '--dryRun']);
  expectSuccess(run);
  expect(run.output).toContain('> nx run node-todo:collect-interface');
  expect(fixturesThat(workspace.markerDir, 'started')).toEqual(['node-todo']);
  expect(workspace.readJson(payloadFile('node-todo'))).toEqual(nodeTodoPayload());
  // A dry run reads the registry to compare interfaces, and writes nothing.
  expect(servers.registry.requests.filter((request) => request.method !== 'GET')).toEqual([]);
});

test('Nx 24 re-collects a changed build output with the build task excluded (the runtime input is hashed)', async () => {
  const collect = ['run', 'built-greeter:collect-interface', '--exclude-task-dependencies'];
  buildBuiltGreeterLocally(workspace, 'First build');
  expectSuccess(await workspace.nx(collect));
  expect(taskCacheStatus((await workspace.nx(collect)).output, 'built-greeter:collect-interface')).toMatch(/^(local cache|existing outputs match the cache)$/);
  buildBuiltGreeterLocally(workspace, 'Second build');
  const rebuilt = await workspace.nx(collect);
  expectSuccess(rebuilt);
  expect(taskCacheStatus(rebuilt.output, 'built-greeter:collect-interface')).toBe('ran');
  expect(builtGreeterDescription(workspace.read(interfaceFile('built-greeter')))).toBe('Says "Second build" to someone');
});

test('Nx 24: a collection that fails under publish-interface exits 1, not 130, with the option named (batch mode)', async () => {
  for (const args of [
    ['run', 'node-todo:publish-interface', '--waitSeconds=abc', '--skip-nx-cache'],
    ['run-many', '-t', 'publish-interface', '-p', 'node-todo', '--settleSeconds=NaN', '--skip-nx-cache'],
  ]) {
    const run = await workspace.nx(args);
    expectFailure(run);
    expect(run.exitCode).toBe(1);
    expect(failureParagraph(run.output)).toMatch(/the `(waitSeconds|settleSeconds)` option must be a number/);
  }
});
