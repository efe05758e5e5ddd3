// Issue 20 §2 through the real nx CLI: `kill -9` of nx while a publish waits for the registry. The publish task is
// orphaned, but it asks before every registry write whether nx is still there: it writes nothing more and ends.
import { findProcessesOfRun, processesRemaining } from '../../tools/fixture-workers/src';
import { startE2eServers, type E2eServers } from './support/e2e-servers';
import { expectSuccess } from './support/expect-run';
import { layHappyWorkers } from './support/happy-workers';
import { NxWorkspace } from './support/nx-workspace';

jest.setTimeout(240_000);

let servers: E2eServers;
let workspace: NxWorkspace;

beforeAll(async () => {
  servers = await startE2eServers();
  workspace = NxWorkspace.create({ label: 'publish-orphan', env: { WORKERS_REGISTRY_API_KEY: servers.apiKey } });
  layHappyWorkers(workspace, servers, ['node-todo', 'kebab-db']);
  workspace.commitAll('node-todo');
});

afterAll(async () => {
  await servers?.close();
  workspace?.dispose();
});

test('SIGKILL of nx while the publish waits for its first read: nothing is written after it, the task process ends', async () => {
  expectSuccess(await workspace.nx(['run', 'node-todo:collect-interface'])); // cached: the publish below starts no worker
  let answer: () => void = () => undefined;
  servers.registry.setFaults({ holdRequests: new Promise<void>((resolve) => (answer = resolve)) });

  const running = workspace.startNx(['run', 'node-todo:publish-interface'], { timeoutMs: 120_000 });
  await running.waitUntil(() => servers.registry.requests.some((r) => r.path === '/w/node-todo/versions'), 120_000);
  process.kill(running.pid, 'SIGKILL');
  const run = await running.result;
  expect(run.signal).toBe('SIGKILL');
  answer(); // the registry answers the orphan's read only now

  expect(await processesRemaining(() => findProcessesOfRun(run.runId), 60_000)).toEqual([]);
  const writes = servers.registry.requests.filter((r) => r.method !== 'GET' && r.path !== '/resolve');
  expect(writes).toEqual([]);
  expect(servers.registry.published).toEqual([]);

  // A rerun completes the publish.
  servers.registry.setFaults({});
  const rerun = await workspace.nx(['run', 'node-todo:publish-interface']);
  expectSuccess(rerun);
  expect(rerun.output).toContain('published node-todo 0.3.0 (new)');
});
