// The registry's answers as a user meets them: a wrong key (401) and a rejected payload (422) fail with the registry's
// body shown and are not retried; after a 503 the version is read back and, being absent, sent again; a missing key fails before anything is sent,
// naming the variable. The key, right or wrong, is never printed or written anywhere.
import { randomUUID } from 'node:crypto';
import { startE2eServers, type E2eServers } from './support/e2e-servers';
import { expectFailure, expectSuccess, STACK_TRACE } from './support/expect-run';
import { filesContaining } from './support/find-secret';
import { layHappyWorkers } from './support/happy-workers';
import { failureParagraph } from './support/nx-output';
import { NxWorkspace } from './support/nx-workspace';
import type { NxRun } from './support/run-nx';

jest.setTimeout(180_000);

let servers: E2eServers;
let workspace: NxWorkspace;
const wrongKey = `wrong-registry-key-${randomUUID()}`;
const runs: NxRun[] = [];

beforeAll(async () => {
  servers = await startE2eServers();
  workspace = NxWorkspace.create({ label: 'registry-failures' });
  layHappyWorkers(workspace, servers, ['node-todo']);
  workspace.commitAll('node-todo');
});

afterAll(async () => {
  await servers?.close();
  workspace?.dispose();
});

async function publish(env: Record<string, string>, ...flags: string[]): Promise<NxRun> {
  servers.registry.requests.splice(0);
  const run = await workspace.nx(['run', 'node-todo:publish-interface', ...flags], { env });
  runs.push(run);
  expect(run.output).not.toMatch(STACK_TRACE);
  return run;
}

const publishUrl = () => `${servers.registry.url}/publish`;
const posts = () => servers.registry.requests.filter((request) => request.method === 'POST' && request.path === '/publish');

test('401: the registry refused the key; its answer and the variable to check are shown, nothing is retried', async () => {
  const run = await publish({ WORKERS_REGISTRY_API_KEY: wrongKey });
  expectFailure(run);
  const paragraph = failureParagraph(run.output)!;
  expect(paragraph).toContain(publishUrl());
  expect(paragraph).toContain('401');
  expect(paragraph).toContain('{"error":"unauthorized"}');
  expect(paragraph).toContain('WORKERS_REGISTRY_API_KEY');
  expect(posts()).toHaveLength(1);
  expect(posts()[0].keyMatched).toBe(false);
  expect(servers.registry.published).toEqual([]);
});

test('422: the registry rejected the payload; its body is shown, nothing is retried', async () => {
  servers.registry.setFaults({ respondWith: { status: 422, body: '{"error":"version: 0.3.0 of node-todo is already published"}', times: 1, method: 'POST', path: '/publish' } });
  const run = await publish({ WORKERS_REGISTRY_API_KEY: servers.apiKey });
  expectFailure(run);
  const paragraph = failureParagraph(run.output)!;
  expect(paragraph).toContain('422');
  expect(paragraph).toContain('{"error":"version: 0.3.0 of node-todo is already published"}');
  expect(posts()).toHaveLength(1);
  expect(servers.registry.published).toEqual([]);
});

test('503: read back (absent), sent again, then published', async () => {
  servers.registry.setFaults({ respondWith: { status: 503, body: '{"error":"busy"}', times: 1, method: 'POST', path: '/publish' } });
  const run = await publish({ WORKERS_REGISTRY_API_KEY: servers.apiKey });
  expectSuccess(run);
  expect(run.output).toMatch(/the registry answered 503; the readback proves nothing was written \(.*\), retrying/);
  expect(run.output).toContain('published node-todo 0.3.0 (new)');
  expect(posts()).toHaveLength(2);
  expect(servers.registry.published).toHaveLength(1);
});

test('missing API key: fails before sending anything, naming the variable', async () => {
  const run = await publish({});
  expectFailure(run);
  const paragraph = failureParagraph(run.output)!;
  expect(paragraph).toContain('WORKERS_REGISTRY_API_KEY');
  expect(paragraph).toContain('publish-interface:dry-run');
  expect(servers.registry.requests).toEqual([]);
});

test('missing API key under another variable name (apiKeyEnv): that name is the one shown', async () => {
  const run = await publish({ WORKERS_REGISTRY_API_KEY: servers.apiKey }, '--apiKeyEnv=STAGING_REGISTRY_KEY');
  expectFailure(run);
  expect(failureParagraph(run.output)).toContain('Set STAGING_REGISTRY_KEY');
  expect(servers.registry.requests).toEqual([]);
});

test('neither key appears in the terminal output, dist/, .nx/ or anywhere else in the workspace', () => {
  expect(runs.length).toBe(5);
  for (const key of [servers.apiKey, wrongKey]) {
    for (const run of runs) expect(run.output).not.toContain(key);
    expect(filesContaining(workspace.root, key)).toEqual([]);
  }
});
