// collect-interface is cached (a hit means the worker is not started again, and its output file comes back), while
// publish-interface always runs. Whatever changes the result must re-run collection: the worker's source, its
// build output (changed through a build input outside the worker folder), the release tag.
import { fixtureBinary, fixturesThat } from '../../tools/fixture-workers/src';
import { publishFixtureReleases, startE2eServers, type E2eServers } from './support/e2e-servers';
import { expectSuccess } from './support/expect-run';
import { interfaceFile, layHappyWorkers, payloadFile, PUBLISH_LOCAL_BUILD } from './support/happy-workers';
import { taskCacheStatus } from './support/nx-output';
import { NxWorkspace } from './support/nx-workspace';

jest.setTimeout(180_000);

let servers: E2eServers;
let workspace: NxWorkspace;

beforeAll(async () => {
  servers = await startE2eServers();
  await publishFixtureReleases(servers);
  // A later release with other bytes (a download cache keyed by checksum must not hand back v1.2.0).
  const nextBinary = Buffer.concat([fixtureBinary('release-echo'), Buffer.from('// release v1.3.0\n')]);
  await servers.publishRelease({ tag: 'release-echo/v1.3.0', bin: 'release-echo', binary: nextBinary });
  workspace = NxWorkspace.create({ label: 'caching', env: { WORKERS_REGISTRY_API_KEY: servers.apiKey } });
  layHappyWorkers(workspace, servers, ['node-todo', 'built-greeter', 'release-echo'], PUBLISH_LOCAL_BUILD);
  workspace.commitAll('three fixture workers');
});

afterAll(async () => {
  await servers?.close();
  workspace?.dispose();
});

/** A task replayed from the cache, with or without restoring its outputs. */
const CACHE_HIT = /^(local cache|existing outputs match the cache)$/;

async function publish(worker: string, ...flags: string[]) {
  workspace.clearMarkers();
  // These tests republish one version with other contents on purpose; a real registry would refuse that (409).
  servers.registry.forgetVersions();
  const run = await workspace.nx(['run', `${worker}:publish-interface`, ...flags]);
  expectSuccess(run);
  return run;
}

const postsFor = (worker: string) => servers.registry.published.filter((payload) => payload.worker_name === worker);

describe('a second identical run', () => {
  let firstInterface: string;

  test('the first run collects and publishes', async () => {
    const run = await publish('node-todo');
    expect(taskCacheStatus(run.output, 'node-todo:collect-interface')).toBe('ran');
    expect(fixturesThat(workspace.markerDir, 'started')).toEqual(['node-todo']);
    expect(postsFor('node-todo')).toHaveLength(1);
    firstInterface = workspace.read(interfaceFile('node-todo'));
  });

  test('replays collect-interface from the local cache without starting the worker, and publishes again', async () => {
    const run = await publish('node-todo');
    expect(taskCacheStatus(run.output, 'node-todo:collect-interface')).toMatch(CACHE_HIT);
    expect(taskCacheStatus(run.output, 'node-todo:publish-interface')).toBe('ran');
    expect(run.output).toContain('Nx read the output from the cache instead of running the command for 1 out of 2 tasks');
    expect(fixturesThat(workspace.markerDir, 'started')).toEqual([]);
    expect(postsFor('node-todo')).toHaveLength(2);
    expect(postsFor('node-todo')[1]).toEqual(postsFor('node-todo')[0]);
  });

  test('restores the interface file after dist/ was deleted', async () => {
    workspace.remove('dist');
    const run = await publish('node-todo');
    expect(taskCacheStatus(run.output, 'node-todo:collect-interface')).toBe('local cache');
    expect(fixturesThat(workspace.markerDir, 'started')).toEqual([]);
    expect(workspace.read(interfaceFile('node-todo'))).toBe(firstInterface);
    expect(workspace.exists(payloadFile('node-todo'))).toBe(true);
    expect(postsFor('node-todo')).toHaveLength(3);
  });
});

// CLI flags of publish-interface are forwarded to collect-interface (so --tag reaches both) and so become part of its
// cache key; the dry-run configuration and NX_DRY_RUN are the cache-friendly ways to ask for a dry run.
test.each([
  ['the dry-run configuration', ['run', 'node-todo:publish-interface:dry-run'], {}],
  ['NX_DRY_RUN=true', ['run', 'node-todo:publish-interface'], { NX_DRY_RUN: 'true' }],
])('a dry run through %s leaves collection a cache hit: the worker is not started again', async (_how, args, env) => {
  // Runs after the identical runs above, so node-todo's collection is cached.
  const before = postsFor('node-todo').length;
  workspace.clearMarkers();
  const run = await workspace.nx(args, { env });
  expectSuccess(run);
  expect(run.output).toContain('dry run');
  expect(postsFor('node-todo')).toHaveLength(before);
  expect(taskCacheStatus(run.output, 'node-todo:collect-interface')).toMatch(CACHE_HIT);
  expect(fixturesThat(workspace.markerDir, 'started')).toEqual([]);
});

describe('collection re-runs when its result can change', () => {
  test("after a change to the worker's source", async () => {
    const source = workspace.read('workers/node-todo/worker.js');
    workspace.write('workers/node-todo/worker.js', source.replace("'List all todos'", "'List every todo'"));
    const run = await publish('node-todo');
    expect(taskCacheStatus(run.output, 'node-todo:collect-interface')).toBe('ran');
    expect(fixturesThat(workspace.markerDir, 'started')).toEqual(['node-todo']);
    const list = (postsFor('node-todo').at(-1)!.functions as Array<{ name: string; description: string }>).find((fn) => fn.name === 'todo::list');
    expect(list?.description).toBe('List every todo');
  });

  test('after a change to its build output, made through a build input outside the worker folder', async () => {
    const first = await publish('built-greeter');
    expect(taskCacheStatus(first.output, 'built-greeter:build')).toBe('ran');
    expect(taskCacheStatus(first.output, 'built-greeter:collect-interface')).toBe('ran');

    const unchanged = await publish('built-greeter');
    expect(taskCacheStatus(unchanged.output, 'built-greeter:build')).toMatch(CACHE_HIT);
    expect(taskCacheStatus(unchanged.output, 'built-greeter:collect-interface')).toMatch(CACHE_HIT);
    expect(fixturesThat(workspace.markerDir, 'started')).toEqual([]);

    // Only the build's input changes; nothing in workers/built-greeter does, so only the build output can tell.
    workspace.write('fixture-shared/greeting.txt', 'Howdy\n');
    expect(workspace.git('status', '--porcelain', 'workers/built-greeter')).toBe('');
    const rebuilt = await publish('built-greeter');
    expect(taskCacheStatus(rebuilt.output, 'built-greeter:build')).toBe('ran');
    expect(taskCacheStatus(rebuilt.output, 'built-greeter:collect-interface')).toBe('ran');
    expect(fixturesThat(workspace.markerDir, 'started')).toEqual(['built-greeter']);
    const greet = (postsFor('built-greeter').at(-1)!.functions as Array<{ description: string }>)[0];
    expect(greet.description).toBe('Says "Howdy" to someone');
  });

  test('with another --tag, which reaches collection and runs that release', async () => {
    const first = await publish('release-echo');
    expect(taskCacheStatus(first.output, 'release-echo:collect-interface')).toBe('ran');

    servers.releases.clearRequests();
    // A release tag must name the manifest's version: the release bumps Cargo.toml, then tags.
    const cargo = workspace.read('workers/release-echo/Cargo.toml');
    workspace.write('workers/release-echo/Cargo.toml', cargo.replace('version = "1.2.0"', 'version = "1.3.0"'));
    const retagged = await publish('release-echo', '--tag=release-echo/v1.3.0');
    expect(retagged.output).toMatch(/^> nx run release-echo:collect-interface --tag=release-echo\/v1\.3\.0/m);
    expect(taskCacheStatus(retagged.output, 'release-echo:collect-interface')).toBe('ran');
    expect(fixturesThat(workspace.markerDir, 'started')).toEqual(['release-echo']);
    expect(servers.releases.requestsFor('release-echo/v1.3.0/release-echo-x86_64-unknown-linux-gnu.tar.gz').map((r) => r.status)).toEqual([302, 200]);
    const binaries = postsFor('release-echo').at(-1)!.binaries as Record<string, { url: string }>;
    expect(binaries['x86_64-unknown-linux-gnu'].url).toBe(`${servers.releaseBaseUrl}/release-echo/v1.3.0/release-echo-x86_64-unknown-linux-gnu.tar.gz`);

    const again = await publish('release-echo', '--tag=release-echo/v1.3.0');
    expect(taskCacheStatus(again.output, 'release-echo:collect-interface')).toMatch(CACHE_HIT);
    expect(fixturesThat(workspace.markerDir, 'started')).toEqual([]);
  });
});
