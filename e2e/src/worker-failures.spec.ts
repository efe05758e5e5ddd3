// What a user sees when collection cannot work: one clear paragraph naming what is at fault, a non-zero exit, no
// stack trace, and no process left behind (neither the run's own processes nor any fixture worker).
import { fixtureBinary, fixturesThat, findFixtureProcesses, layFixtureWorkers, processesRemaining } from '../../tools/fixture-workers/src';
import { faults } from '../../tools/release-server/src';
import { startE2eServers, type E2eServers } from './support/e2e-servers';
import { expectFailure, expectSuccess, STACK_TRACE } from './support/expect-run';
import { failureParagraph, tasksInOutput } from './support/nx-output';
import { NxWorkspace } from './support/nx-workspace';
import type { NxRun } from './support/run-nx';

jest.setTimeout(180_000);

let servers: E2eServers;
let workspace: NxWorkspace;

beforeAll(async () => {
  servers = await startE2eServers();
  const binary = fixtureBinary('release-echo');
  // v1.4.0: the .sha256 of the linux-gnu archive does not match it (tampered or half-uploaded release).
  await servers.publishRelease({ tag: 'release-echo/v1.4.0', bin: 'release-echo', binary, wrongChecksums: { 'x86_64-unknown-linux-gnu': 'ab'.repeat(32) } });
  // v1.5.0: the linux-gnu archive was never uploaded (its checksum was).
  await servers.publishRelease({ tag: 'release-echo/v1.5.0', bin: 'release-echo', binary, withoutArchive: ['x86_64-unknown-linux-gnu'] });
  // v1.6.0: a good release, served by a flaky host in the test that uses it.
  await servers.publishRelease({ tag: 'release-echo/v1.6.0', bin: 'release-echo', binary });
  workspace = NxWorkspace.create({ label: 'worker-failures' });
  layFixtureWorkers(workspace.root, {
    'crash-at-start': {},
    'never-registers': {},
    'no-functions': {},
    'bad-manifest': {},
    'release-echo': { targetOptions: { 'collect-interface': { releaseBaseUrl: servers.releaseBaseUrl } } },
  });
  workspace.write('workers/broken-yaml/iii.worker.yaml', 'iii: v1\ndeploy: binary\nscripts: [start: node worker.js\n');
  workspace.commitAll('faulty fixture workers');
});

afterAll(async () => {
  await servers?.close();
  workspace?.dispose();
});

async function collect(worker: string, ...flags: string[]): Promise<{ run: NxRun; paragraph: string }> {
  workspace.clearMarkers();
  const run = await workspace.nx(['run', `${worker}:collect-interface`, ...flags], { timeoutMs: 90_000 });
  expectFailure(run);
  expect(run.output).not.toMatch(STACK_TRACE);
  expect(await processesRemaining(() => findFixtureProcesses({ under: workspace.root }))).toEqual([]);
  const paragraph = failureParagraph(run.output);
  expect(paragraph).toBeDefined();
  return { run, paragraph: paragraph! };
}

test('the worker crashes at start: the task fails at once, with its exit code and log tail', async () => {
  // A 100 s wait that the run (bounded at 90 s) must not sit out: an exit before registering fails the task at once.
  const { run, paragraph } = await collect('crash-at-start', '--waitSeconds=100');
  expect(paragraph).toContain('could not collect the interface of crash-at-start');
  expect(paragraph).toMatch(/exited with code 3 before it registered/);
  expect(run.output).toContain('crash-at-start: cannot open ./state/todo.db: no such file or directory');
  expect(fixturesThat(workspace.markerDir, 'started')).toEqual(['crash-at-start']);
});

test('the worker never registers: the task gives up after waitSeconds and says what to change', async () => {
  const { run, paragraph } = await collect('never-registers', '--waitSeconds=2');
  expect(paragraph).toMatch(/never-registers did not register with the engine within 2 s/);
  expect(paragraph).toContain('waitSeconds');
  expect(run.output).toContain('never-registers: warming up caches…');
});

test('the worker registers but registers neither a function nor a trigger type: the message says so', async () => {
  const { paragraph } = await collect('no-functions', '--waitSeconds=2');
  expect(paragraph).toContain('no-functions');
  // It did connect (its log says "Worker registered"): the problem to report is the empty interface.
  expect(paragraph).toMatch(/registered neither functions nor trigger types/);
});

test('sha256 mismatch: the download is refused and the binary never runs', async () => {
  const { paragraph } = await collect('release-echo', '--tag=release-echo/v1.4.0');
  const archiveUrl = `${servers.releaseBaseUrl}/release-echo/v1.4.0/release-echo-x86_64-unknown-linux-gnu.tar.gz`;
  expect(paragraph).toContain(archiveUrl);
  expect(paragraph).toContain('sha256');
  expect(paragraph).toContain('ab'.repeat(32));
  expect(fixturesThat(workspace.markerDir, 'started')).toEqual([]);
});

test('404 asset: the message names the URL that is missing', async () => {
  const { paragraph } = await collect('release-echo', '--tag=release-echo/v1.5.0');
  expect(paragraph).toContain(`${servers.releaseBaseUrl}/release-echo/v1.5.0/release-echo-x86_64-unknown-linux-gnu.tar.gz`);
  expect(paragraph).toContain('404');
  expect(fixturesThat(workspace.markerDir, 'started')).toEqual([]);
});

test('a flaky release host (503 twice, then a connection cut mid-body) is retried, and the worker runs', async () => {
  const archive = 'release-echo/v1.6.0/release-echo-x86_64-unknown-linux-gnu.tar.gz';
  servers.releases.failNext(archive, ...faults.unavailable(2), faults.resetMidBody());
  workspace.clearMarkers();
  const run = await workspace.nx(['run', 'release-echo:collect-interface', '--tag=release-echo/v1.6.0']);
  expectSuccess(run);
  expect(servers.releases.requestsFor(archive).filter((r) => r.server === 'storage').map((r) => (r.fault === 'reset-mid-body' ? 'cut' : r.status))).toEqual([
    503,
    503,
    'cut',
    200,
  ]);
  expect(run.output).toContain('launch plan: release-binary');
  expect(fixturesThat(workspace.markerDir, 'started')).toEqual(['release-echo']);
});

test('malformed iii.worker.yaml (invalid value): file and key named, nothing started', async () => {
  workspace.clearMarkers();
  const run = await workspace.nx(['run', 'bad-manifest:publish-interface']);
  expectFailure(run);
  expect(run.output).not.toMatch(STACK_TRACE);
  const paragraph = failureParagraph(run.output)!;
  expect(paragraph).toContain(workspace.path('workers/bad-manifest/iii.worker.yaml'));
  expect(paragraph).toContain('`deploy`');
  expect(paragraph).toContain('"lambda"');
  expect(tasksInOutput(run.output)).not.toContain('bad-manifest:publish-interface');
  expect(fixturesThat(workspace.markerDir, 'started')).toEqual([]);
});

test('malformed iii.worker.yaml (YAML syntax): file and line named', async () => {
  const { paragraph } = await collect('broken-yaml');
  expect(paragraph).toContain(workspace.path('workers/broken-yaml/iii.worker.yaml'));
  expect(paragraph).toMatch(/not valid YAML at line \d+/);
});

test('SIGINT to the nx process group while the worker is starting: nx stops, and no fixture process stays alive', async () => {
  workspace.clearMarkers();
  const running = workspace.startNx(['run', 'never-registers:collect-interface', '--waitSeconds=100'], { timeoutMs: 90_000 });
  // "Starting": the worker process is up (it wrote its marker) but has not registered (it never will).
  await running.waitUntil(() => fixturesThat(workspace.markerDir, 'started').includes('never-registers'));
  expect(findFixtureProcesses({ under: workspace.root, fixture: 'never-registers' })).toHaveLength(1);
  running.signalGroup('SIGINT');
  const run = await running.result;
  expect(run.exitCode).not.toBe(0);
  expect(run.leftovers).toEqual([]);
  expect(await processesRemaining(() => findFixtureProcesses({ under: workspace.root }))).toEqual([]);
});
