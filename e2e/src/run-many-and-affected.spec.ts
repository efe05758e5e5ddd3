// Several workers at once: `run-many --parallel=4` collects four workers side by side (each on its own engine, each
// payload holding only its own functions), and `affected` publishes only the worker a commit touched.
import { fixturesThat } from '../../tools/fixture-workers/src';
import { expectedBinaries, publishFixtureReleases, startE2eServers, type E2eServers, type PublishedRelease } from './support/e2e-servers';
import { expectSuccess } from './support/expect-run';
import { builtGreeterPayload, kebabDbPayload, nodeTodoPayload, releaseEchoPayload } from './support/golden-payloads';
import { HAPPY_WORKERS, layHappyWorkers, PUBLISH_LOCAL_BUILD } from './support/happy-workers';
import { engineUrlsInOutput, tasksInOutput } from './support/nx-output';
import { NxWorkspace } from './support/nx-workspace';

jest.setTimeout(180_000);

let servers: E2eServers;
let releases: { releaseEcho: PublishedRelease; builtGreeter: PublishedRelease };
let workspace: NxWorkspace;

beforeAll(async () => {
  servers = await startE2eServers();
  releases = await publishFixtureReleases(servers);
  workspace = NxWorkspace.create({ label: 'many', env: { WORKERS_REGISTRY_API_KEY: servers.apiKey } });
  layHappyWorkers(workspace, servers, HAPPY_WORKERS, PUBLISH_LOCAL_BUILD);
  workspace.write('docs/notes.md', '# Notes\n');
  workspace.commitAll('four fixture workers');
});

afterAll(async () => {
  await servers?.close();
  workspace?.dispose();
});

test('run-many --parallel=4 publishes four workers, each payload holding only its own functions, on four engines', async () => {
  const run = await workspace.nx(['run-many', '-t', 'publish-interface', '--parallel=4']);
  expectSuccess(run);
  expect(fixturesThat(workspace.markerDir, 'started')).toEqual([...HAPPY_WORKERS].sort());
  const engines = engineUrlsInOutput(run.output);
  expect(engines).toHaveLength(4);
  expect(new Set(engines).size).toBe(4);

  const byWorker = Object.fromEntries(servers.registry.published.map((payload) => [payload.worker_name as string, payload]));
  expect(servers.registry.published).toHaveLength(4);
  expect(byWorker['node-todo']).toEqual(nodeTodoPayload());
  expect(byWorker['kebab-db']).toEqual(kebabDbPayload());
  expect(byWorker['release-echo']).toEqual(releaseEchoPayload(expectedBinaries(servers, releases.releaseEcho)));
  expect(byWorker['built-greeter']).toEqual(
    builtGreeterPayload({ greeting: 'Hello', repo: servers.localRepoUrl, binaries: expectedBinaries(servers, releases.builtGreeter) }),
  );
});

describe('nx affected -t publish-interface --base=HEAD~1', () => {
  test('after a commit that touches one worker, runs that worker and the workers that depend on it', async () => {
    const source = workspace.read('workers/kebab-db/worker.js');
    workspace.write('workers/kebab-db/worker.js', source.replace("'Run a read-only SQL query'", "'Run one read-only SQL query'"));
    // A published version is immutable (the registry answers 409 to other contents): the change ships as 1.0.4.
    const manifest = workspace.read('workers/kebab-db/package.json');
    workspace.write('workers/kebab-db/package.json', manifest.replace('"version": "1.0.3"', '"version": "1.0.4"'));
    workspace.commitAll('kebab-db: reword query');
    const before = servers.registry.published.length;
    workspace.clearMarkers();

    const run = await workspace.nx(['affected', '-t', 'publish-interface', '--base=HEAD~1']);
    expectSuccess(run);
    // node-todo lists kebab-db under `dependencies:` (issue 19): it is affected too, and collected from the cache.
    expect([...new Set(tasksInOutput(run.output))].sort()).toEqual([
      'kebab-db:collect-interface',
      'kebab-db:publish-interface',
      'node-todo:collect-interface',
      'node-todo:publish-interface',
    ]);
    expect(fixturesThat(workspace.markerDir, 'started')).toEqual(['kebab-db']);
    const published = servers.registry.published.slice(before);
    expect(published.map((payload) => [payload.worker_name, payload.version])).toEqual([['kebab-db', '1.0.4']]);
    expect((published[0].functions as Array<{ description: string }>)[0].description).toBe('Run one read-only SQL query');
  });

  test('after a commit that touches no worker, runs nothing', async () => {
    workspace.write('docs/notes.md', '# Notes\n\nNothing to publish here.\n');
    workspace.commitAll('docs only');
    const before = servers.registry.published.length;

    const run = await workspace.nx(['affected', '-t', 'publish-interface', '--base=HEAD~1']);
    expectSuccess(run);
    expect(tasksInOutput(run.output)).toEqual([]);
    expect(servers.registry.published.length).toBe(before);
  });
});
