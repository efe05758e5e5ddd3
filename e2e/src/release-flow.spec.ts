// The release-tag flow of the README: on a tag, run the released binary instead of building, by listing both targets
// and excluding task dependencies. The worker has a build target; it must not run.
import { fixturesThat, markersOf } from '../../tools/fixture-workers/src';
import { expectedBinaries, publishFixtureReleases, startE2eServers, RELEASED_GREETING, type E2eServers, type PublishedRelease } from './support/e2e-servers';
import { expectSuccess } from './support/expect-run';
import { builtGreeterPayload } from './support/golden-payloads';
import { buildBuiltGreeterLocally, builtGreeterDescription, interfaceFile, layHappyWorkers } from './support/happy-workers';
import { taskCacheStatus, tasksInOutput } from './support/nx-output';
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

describe('a build output left in target/ (an earlier build, a CI cache)', () => {
  const releaseRun = ['run-many', '-t', 'collect-interface', 'publish-interface', '-p', 'built-greeter', '--exclude-task-dependencies', '--tag=built-greeter/v2.0.1'];

  test('never stands in for the release: the release tag runs the released binary and publishes its interface', async () => {
    buildBuiltGreeterLocally(workspace, 'Stale local build');
    servers.registry.forgetVersions();
    workspace.clearMarkers();
    const run = await workspace.nx([...releaseRun, '--skip-nx-cache']);
    expectSuccess(run);
    expect(run.output).toContain('launch plan: release-binary (release asset built-greeter-x86_64-unknown-linux-gnu of built-greeter/v2.0.1');
    expect(markersOf(workspace.markerDir, 'built-greeter').map((marker) => marker.details.greeting)).toEqual([RELEASED_GREETING]);
    expect(builtGreeterDescription(workspace.read(interfaceFile('built-greeter')))).toBe(`Says "${RELEASED_GREETING}" to someone`);
    expect(servers.registry.published.at(-1)).toEqual(
      builtGreeterPayload({ greeting: RELEASED_GREETING, repo: servers.localRepoUrl, binaries: expectedBinaries(servers, releases.builtGreeter) }),
    );
  });

  test("with publish's default tag (no --tag): collection stops before running anything, naming the command that publishes the release", async () => {
    buildBuiltGreeterLocally(workspace, 'Stale local build');
    servers.registry.forgetVersions();
    const before = servers.registry.published.length;
    workspace.clearMarkers();
    const plain = await workspace.nx(['run', 'built-greeter:publish-interface', '--skip-nx-cache']);
    expect(plain.exitCode).not.toBe(0);
    expect(plain.output).toContain(
      '✖ could not collect the interface of built-greeter: the publish that follows ships the release built-greeter/v2.0.1, but this collection has ' +
        'no release tag, so it would run a local launch, whose interface that publish refuses. Publish the interface that release registers: ' +
        '`nx run built-greeter:publish-interface --tag=built-greeter/v2.0.1` (collection then runs release-binary).',
    );
    expect(plain.output).not.toContain('launch plan:');
    expect(fixturesThat(workspace.markerDir, 'started')).toEqual([]);
    expect(servers.registry.published).toHaveLength(before);

    const named = await workspace.nx(['run', 'built-greeter:publish-interface', '--tag=built-greeter/v2.0.1']);
    expectSuccess(named);
    expect(named.output).toContain('launch plan: release-binary (release asset built-greeter-x86_64-unknown-linux-gnu of built-greeter/v2.0.1');
    expect(servers.registry.published.at(-1)).toEqual(
      builtGreeterPayload({ greeting: RELEASED_GREETING, repo: servers.localRepoUrl, binaries: expectedBinaries(servers, releases.builtGreeter) }),
    );
  });

  test('an interface of the build output, replayed from the cache or left in dist/, is refused by the release publish before anything is sent', async () => {
    buildBuiltGreeterLocally(workspace, 'Stale local build');
    const collect = await workspace.nx(['run', 'built-greeter:collect-interface']);
    expectSuccess(collect);
    expect(JSON.parse(workspace.read(interfaceFile('built-greeter'))).collected_from).toEqual({ launch: 'build-output', forced: false });
    const requestsBefore = servers.registry.requests.length;
    const refusal =
      '✖ could not publish built-greeter: dist/workers/built-greeter/worker-interface.json was collected from a local build-output, but this publish ' +
      'ships the release built-greeter/v2.0.1, whose binary users install.';

    // Nx replays collection from its cache (no executor runs): only the publish can tell.
    const replayed = await workspace.nx(['run', 'built-greeter:publish-interface']);
    expect(replayed.exitCode).toBe(1);
    expect(taskCacheStatus(replayed.output, 'built-greeter:collect-interface')).toMatch(/^(local cache|existing outputs match the cache)$/);
    expect(replayed.output).toContain(refusal);

    // Collection excluded: the publish reads the file dist/ holds.
    const excluded = await workspace.nx(['run', 'built-greeter:publish-interface', '--exclude-task-dependencies']);
    expect(excluded.exitCode).toBe(1);
    expect(excluded.output).toContain(refusal);
    expect(servers.registry.requests.slice(requestsBefore)).toEqual([]);
  });

  test('runs only when --launch=build-output forces it, with a warning that the interface is not the release\'s', async () => {
    const run = await workspace.nx(['run', 'built-greeter:collect-interface', '--exclude-task-dependencies', '--tag=built-greeter/v2.0.1', '--launch=build-output']);
    expectSuccess(run);
    expect(run.output).toContain('launch plan: build-output (build output found at workers/built-greeter/target/release/built-greeter)');
    expect(run.output).toContain(
      '⚠ the published interface comes from the local build workers/built-greeter/target/release/built-greeter, not from the release built-greeter/v2.0.1',
    );
  });

  test('is part of the cache key even with the build task excluded: a changed binary is collected again', async () => {
    const collect = ['run', 'built-greeter:collect-interface', '--exclude-task-dependencies'];
    buildBuiltGreeterLocally(workspace, 'Hello from build one');
    const first = await workspace.nx(collect);
    expectSuccess(first);
    expect(tasksInOutput(first.output)).not.toContain('built-greeter:build');
    expect(builtGreeterDescription(workspace.read(interfaceFile('built-greeter')))).toBe('Says "Hello from build one" to someone');

    const unchanged = await workspace.nx(collect);
    expect(taskCacheStatus(unchanged.output, 'built-greeter:collect-interface')).toMatch(/^(local cache|existing outputs match the cache)$/);

    buildBuiltGreeterLocally(workspace, 'Hello from build two'); // only the gitignored binary changes
    expect(workspace.git('status', '--porcelain', 'workers/built-greeter')).toBe('');
    const rebuilt = await workspace.nx(collect);
    expectSuccess(rebuilt);
    expect(taskCacheStatus(rebuilt.output, 'built-greeter:collect-interface')).toBe('ran');
    expect(builtGreeterDescription(workspace.read(interfaceFile('built-greeter')))).toBe('Says "Hello from build two" to someone');
  });
});
