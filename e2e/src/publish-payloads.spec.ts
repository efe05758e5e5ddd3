// `nx run <worker>:publish-interface` for each kind of fixture worker: the registry stand-in must receive exactly
// the golden payload, the payload file must hold the same bytes, and the API key must not leak anywhere.
import { fixturesThat, markersOf } from '../../tools/fixture-workers/src';
import { expectedBinaries, publishFixtureReleases, startE2eServers, RELEASED_GREETING, type E2eServers, type PublishedRelease } from './support/e2e-servers';
import { expectSuccess } from './support/expect-run';
import { countFiles, filesContaining } from './support/find-secret';
import { builtGreeterPayload, kebabDbPayload, nodeTodoPayload, releaseEchoPayload } from './support/golden-payloads';
import { HAPPY_WORKERS, layHappyWorkers, payloadFile, type HappyWorker, PUBLISH_LOCAL_BUILD } from './support/happy-workers';
import { NxWorkspace } from './support/nx-workspace';
import type { NxRun } from './support/run-nx';

jest.setTimeout(180_000);

let servers: E2eServers;
let releases: { releaseEcho: PublishedRelease; builtGreeter: PublishedRelease };
let workspace: NxWorkspace;
const runs = new Map<HappyWorker, NxRun>();

beforeAll(async () => {
  servers = await startE2eServers();
  releases = await publishFixtureReleases(servers);
  workspace = NxWorkspace.create({ label: 'payloads', env: { WORKERS_REGISTRY_API_KEY: servers.apiKey } });
  layHappyWorkers(workspace, servers, HAPPY_WORKERS, PUBLISH_LOCAL_BUILD);
  workspace.commitAll('four fixture workers');
});

afterAll(async () => {
  await servers?.close();
  workspace?.dispose();
});

async function publish(worker: HappyWorker): Promise<NxRun> {
  workspace.clearMarkers();
  const run = await workspace.nx(['run', `${worker}:publish-interface`]);
  runs.set(worker, run);
  expectSuccess(run);
  return run;
}

/** The one payload the registry accepted for `worker`, checked to be the bytes the payload file holds. */
function acceptedPayload(worker: HappyWorker): Record<string, unknown> {
  const requests = servers.registry.requests.filter((request) => request.method === 'POST' && request.path === '/publish' && JSON.parse(request.body).worker_name === worker);
  expect(requests).toHaveLength(1);
  expect(requests[0]).toMatchObject({ method: 'POST', path: '/publish', keyMatched: true });
  expect(requests[0].body).toBe(workspace.read(payloadFile(worker)));
  const accepted = servers.registry.published.filter((payload) => payload.worker_name === worker);
  expect(accepted).toHaveLength(1);
  return accepted[0];
}

/**
 * The worker ran once, from its own folder (so `./config.yaml` resolves), with the engine's URL in III_URL and
 * III_ENGINE_URL, and without the registry key, which only the publish step needs.
 */
function expectStartedInItsFolderWithoutTheKey(worker: HappyWorker): void {
  const started = markersOf(workspace.markerDir, worker);
  expect(started).toHaveLength(1);
  expect(started[0].details.cwd).toBe(workspace.path(`workers/${worker}`));
  expect(started[0].details.envNames).toEqual(expect.arrayContaining(['III_URL', 'III_ENGINE_URL']));
  expect(started[0].details.envNames).not.toContain('WORKERS_REGISTRY_API_KEY');
}

describe('nx run <worker>:publish-interface publishes exactly the expected payload', () => {
  test('a Node iii-sdk worker started by scripts.start (deploy: image)', async () => {
    const run = await publish('node-todo');
    expect(acceptedPayload('node-todo')).toEqual(nodeTodoPayload());
    expect(run.output).toContain('launch plan: start-script (start command from scripts.start `node worker.js --nxwp-fixture=node-todo`)');
    expect(run.output).toContain('worker registered: node-todo (matched by name, 3 functions, 1 trigger type, settled for 1.0 s)');
    expect(run.output).toContain('published node-todo 0.3.0 (new)');
    expect(run.output).toContain('channel latest: (unassigned) → 0.3.0');
    expect(fixturesThat(workspace.markerDir, 'started')).toEqual(['node-todo']);
    expectStartedInItsFolderWithoutTheKey('node-todo');
  });

  test('an unnamed worker under a kebab-case namespace, recognised by that namespace', async () => {
    const run = await publish('kebab-db');
    expect(acceptedPayload('kebab-db')).toEqual(kebabDbPayload());
    expect(run.output).toMatch(/worker registered: .+ \(matched by namespace, 2 functions(, [^)]*)?, settled for [0-9.]+ s\)/);
    expect(fixturesThat(workspace.markerDir, 'started')).toEqual(['kebab-db']);
    expectStartedInItsFolderWithoutTheKey('kebab-db');
  });

  test('a binary worker run from its release tarball (302 to the bytes, sha256 verified), with the binaries map of all 9 targets', async () => {
    servers.releases.clearRequests();
    const run = await publish('release-echo');
    expect(acceptedPayload('release-echo')).toEqual(releaseEchoPayload(expectedBinaries(servers, releases.releaseEcho)));
    expect(run.output).toContain('launch plan: release-binary (release asset release-echo-x86_64-unknown-linux-gnu of release-echo/v1.2.0');
    expect(fixturesThat(workspace.markerDir, 'started')).toEqual(['release-echo']);
    expectStartedInItsFolderWithoutTheKey('release-echo');
    // The archive was fetched the GitHub way: the origin redirected, the object store served the bytes.
    const archive = servers.releases.requestsFor('release-echo/v1.2.0/release-echo-x86_64-unknown-linux-gnu.tar.gz');
    expect(archive.map((request) => [request.server, request.status])).toEqual([
      ['origin', 302],
      ['storage', 200],
    ]);
    for (const target of Object.keys(releases.releaseEcho.sha256ByTarget)) {
      expect(servers.releases.requestsFor(`release-echo/v1.2.0/release-echo-${target}.sha256`).length).toBeGreaterThan(0);
    }
  });

  test('a binary worker whose build target produces target/release/<bin>', async () => {
    const run = await publish('built-greeter');
    expect(acceptedPayload('built-greeter')).toEqual(
      builtGreeterPayload({ greeting: 'Hello', repo: servers.localRepoUrl, binaries: expectedBinaries(servers, releases.builtGreeter) }),
    );
    expect(run.output).toContain('> nx run built-greeter:build');
    expect(run.output).toContain('launch plan: build-output (build output found at workers/built-greeter/target/release/built-greeter)');
    // Its collection is told to run the build output: the publish ships that interface, and says it is not the release's.
    expect(run.output).toContain(
      '⚠ the interface in dist/workers/built-greeter/worker-interface.json comes from a local build-output (chosen by the launch or binaryPath option), not from the release built-greeter/v2.0.1 this publish ships',
    );
    expect(fixturesThat(workspace.markerDir, 'build')).toEqual(['built-greeter']);
    expect(fixturesThat(workspace.markerDir, 'started')).toEqual(['built-greeter']);
    expectStartedInItsFolderWithoutTheKey('built-greeter');
    // The released binary (another greeting) was not what ran.
    expect(JSON.stringify(servers.registry.published)).not.toContain(RELEASED_GREETING);
  });

  test('progress lines count in the singular for one function', () => {
    const run = runs.get('built-greeter');
    expect(run).toBeDefined();
    expect(run!.output).toMatch(/worker registered: built-greeter \(matched by name, 1 function, settled for 1.0 s\)/);
  });
});

test('the API key never appears in the terminal output, dist/, .nx/ or anywhere else in the workspace', () => {
  expect(runs.size).toBe(HAPPY_WORKERS.length);
  // The key was really used: every publish was accepted with it.
  const writes = servers.registry.requests.filter((request) => request.method !== 'GET' && request.path !== '/resolve');
  expect(writes.filter((request) => request.path === '/publish').length).toBe(HAPPY_WORKERS.length);
  expect(writes.every((request) => request.keyMatched)).toBe(true);
  for (const run of runs.values()) expect(run.output).not.toContain(servers.apiKey);
  for (const folder of ['dist', '.nx']) {
    expect(countFiles(workspace.path(folder))).toBeGreaterThan(0);
    expect(filesContaining(workspace.path(folder), servers.apiKey)).toEqual([]);
  }
  expect(filesContaining(workspace.root, servers.apiKey)).toEqual([]);
});
