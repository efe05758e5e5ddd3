// Options typed on the command line reach the executors through Nx's parser, which types values by their look:
// `--engineGeneration=0.13` becomes a number, `--waitSeconds=abc` stays a string. Every documented value must work,
// and every invalid one must fail with exit 1 and one message naming the option, the value and what is accepted,
// in batch mode (the default) and out of it, also when collection runs as a dependency of publish-interface.
import { startE2eServers, type E2eServers } from './support/e2e-servers';
import { expectFailure, expectSuccess } from './support/expect-run';
import { layHappyWorkers } from './support/happy-workers';
import { failureParagraph } from './support/nx-output';
import { NxWorkspace } from './support/nx-workspace';
import type { NxRun } from './support/run-nx';

jest.setTimeout(300_000);

let servers: E2eServers;
let workspace: NxWorkspace;

beforeAll(async () => {
  servers = await startE2eServers();
  workspace = NxWorkspace.create({ label: 'options', env: { WORKERS_REGISTRY_API_KEY: servers.apiKey } });
  layHappyWorkers(workspace, servers, ['node-todo']);
  workspace.commitAll('node-todo');
});

afterAll(async () => {
  await servers?.close();
  workspace?.dispose();
});

const collect = (flags: string[], env: Record<string, string> = {}) =>
  workspace.nx(['run', 'node-todo:collect-interface', '--skip-nx-cache', ...flags], { env });

/** Nx's own schema check must not have answered (in batch mode it crashes the batch with no option named). */
function expectOurMessage(run: NxRun, message: string) {
  expectFailure(run);
  expect(run.exitCode).toBe(1);
  expect(failureParagraph(run.output)).toContain(message);
  expect(run.output).not.toMatch(/SchemaError|UnhandledPromiseRejection|does not match the schema/);
}

describe.each([
  ['in batch mode (the default)', {}],
  ['out of batch mode', { NX_BATCH_MODE: 'false' }],
])('%s', (_mode, env) => {
  test.each([
    ['--engineGeneration=0.99', '`engineGeneration` must be auto (the default: the generation of the worker\'s iii-sdk line), 0.26, 0.25, 0.23, 0.13 or 0.11 (or the old names current / legacy), got "0.99"'],
    ['--waitSeconds=abc', 'the `waitSeconds` option must be a number greater than 0, got "abc"'],
    ['--settleSeconds=-1', 'the `settleSeconds` option must be a number of 0 or more, got -1'],
    ['--settleSeconds=NaN', 'the `settleSeconds` option must be a number of 0 or more, got "NaN"'],
  ])('%s fails with exit 1 naming the option, the value and what is accepted', async (flag, message) => {
    expectOurMessage(await collect([flag], env), message);
  });

  test('--engineGeneration=0.13 (a documented value Nx parses as a number) runs that generation', async () => {
    const run = await collect(['--engineGeneration=0.13'], env);
    expectSuccess(run);
    expect(run.output).toContain('embedded engine (0.13, pinned by engineGeneration');
  });
});

test('--settleSeconds=1e-9 gets the unsafe note 0 gets', async () => {
  const run = await collect(['--settleSeconds=1e-9']);
  expectSuccess(run);
  expect(run.output).toContain('not waited to settle: settleSeconds is 1e-9 (below the 0.1 s floor)');
});

test('--args in its JSON form reaches the worker as a list, not split on commas', async () => {
  const run = await collect(['--args=["--greeting=a,b","{engineUrl}"]', '--verbose']);
  expectSuccess(run);
  expect(run.output).toMatch(/worker command: node worker\.js --nxwp-fixture=node-todo --greeting=a,b ws:\/\/127\.0\.0\.1:\d+ /);
});

// Nx 22.7 exits 130 here whatever the plugin does: it counts the publish task it skipped (its dependency failed) as never
// settled, so the run looks interrupted (its didCommandComplete; fixed in Nx 24, see nx-24.spec.ts). The plugin's part:
// the failure is one clear paragraph, nothing is published, and the run fails.
test('a collection that fails under publish-interface or run-many fails the run with its message, publishing nothing', async () => {
  for (const args of [
    ['run', 'node-todo:publish-interface', '--waitSeconds=abc', '--skip-nx-cache'],
    ['run-many', '-t', 'publish-interface', '-p', 'node-todo', '--waitSeconds=abc', '--skip-nx-cache'],
  ]) {
    const run = await workspace.nx(args);
    expectFailure(run);
    expect(failureParagraph(run.output)).toContain('the `waitSeconds` option must be a number greater than 0, got "abc"');
    expect(run.output).not.toMatch(/SchemaError|UnhandledPromiseRejection/);
  }
  expect(servers.registry.published).toEqual([]);
});
