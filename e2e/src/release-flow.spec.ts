// The release-tag flow of the README: on a tag, run the released binary instead of building, by listing both targets
// and excluding task dependencies. The worker has a build target; it must not run.
import { fixturesThat, markersOf } from '../../tools/fixture-workers/src';
import { expectedBinaries, publishFixtureReleases, startE2eServers, RELEASED_GREETING, type E2eServers, type PublishedRelease } from './support/e2e-servers';
import { expectSuccess } from './support/expect-run';
import { builtGreeterPayload } from './support/golden-payloads';
import { layHappyWorkers } from './support/happy-workers';
import { tasksInOutput } from './support/nx-output';
import { NxWorkspace } from './support/nx-workspace';

jest.setTimeout(180_000);

let servers: E2eServers;
let releases: { builtGreeter: PublishedRelease };
let workspace: NxWorkspace;

beforeAll(async () => {
  servers = await startE2eServers();
  releases = await publishFixtureReleases(servers);
  workspace = NxWorkspace.create({ label: 'release', env: { WORKERS_REGISTRY_API_KEY: servers.apiKey } });
  layHappyWorkers(workspace, servers, ['built-greeter']);
  workspace.commitAll('built-greeter');
});

afterAll(async () => {
  await servers?.close();
  workspace?.dispose();
});

test('run-many -t collect-interface publish-interface --exclude-task-dependencies --tag runs the released binary, not the build', async () => {
  const run = await workspace.nx([
    'run-many',
    '-t',
    'collect-interface',
    'publish-interface',
    '-p',
    'built-greeter',
    '--exclude-task-dependencies',
    '--tag=built-greeter/v2.0.1',
  ]);
  expectSuccess(run);

  // No build: not in the output, no build marker, no build output.
  expect(tasksInOutput(run.output)).not.toContain('built-greeter:build');
  expect(fixturesThat(workspace.markerDir, 'build')).toEqual([]);
  expect(workspace.exists('workers/built-greeter/target')).toBe(false);

  // The released binary ran (it carries the release's greeting), downloaded from the release server.
  expect(run.output).toContain('launch plan: release-binary (release asset built-greeter-x86_64-unknown-linux-gnu of built-greeter/v2.0.1');
  const started = markersOf(workspace.markerDir, 'built-greeter');
  expect(started.map((marker) => marker.details.greeting)).toEqual([RELEASED_GREETING]);
  expect(started[0].details.cwd).toBe(workspace.path('workers/built-greeter')); // run from its folder, not the cache
  expect(servers.releases.requestsFor('built-greeter/v2.0.1/built-greeter-x86_64-unknown-linux-gnu.tar.gz').map((r) => r.status)).toEqual([302, 200]);

  // Publishing still waited for collection and sent the release's interface.
  const tasks = tasksInOutput(run.output);
  expect(tasks.indexOf('built-greeter:collect-interface')).toBeLessThan(tasks.indexOf('built-greeter:publish-interface'));
  expect(servers.registry.published).toEqual([
    builtGreeterPayload({ greeting: RELEASED_GREETING, repo: servers.localRepoUrl, binaries: expectedBinaries(servers, releases.builtGreeter) }),
  ]);
});
