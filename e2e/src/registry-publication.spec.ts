// Publication as the registry of today sees it, through the real `nx` CLI: a bundle worker collected from its
// verified release archive and published with archive_url + sha256; a binary worker republished identically (409,
// read back, success); a channel promotion next → latest by compare-and-swap; a dry run with no registry at all.
import { createServer } from 'node:net';
import { markersOf } from '../../tools/fixture-workers/src';
import { makeTarGz, sha256Hex } from '../../tools/fixture-workers/src/archives';
import { E2E_REPO, publishFixtureReleases, startE2eServers, type E2eServers } from './support/e2e-servers';
import { expectSuccess, STACK_TRACE } from './support/expect-run';
import { layHappyWorkers } from './support/happy-workers';
import { NxWorkspace } from './support/nx-workspace';

jest.setTimeout(180_000);

let servers: E2eServers;
let workspace: NxWorkspace;
let bundleSha256: string;

/** The bundle's entry: registers two functions over the real iii-sdk, leaves a marker saying where it ran. */
const BUNDLE_INDEX = `
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { registerWorker } = require('iii-sdk');
if (process.env.NXWP_E2E_MARKER_DIR) {
  writeFileSync(join(process.env.NXWP_E2E_MARKER_DIR, 'js-bundle.' + process.pid + '.started'), JSON.stringify({ cwd: process.cwd(), envNames: Object.keys(process.env).sort() }));
}
const iii = registerWorker(process.env.III_URL, { workerName: 'js-bundle', enableMetricsReporting: false, otel: { enabled: false } });
iii.registerFunction('bundle::greet', async ({ name }) => ({ text: 'hi ' + name }), {
  description: 'Greets from the bundle',
  request_format: { type: 'object', properties: { name: { type: 'string' } } },
  response_format: { type: 'object', properties: { text: { type: 'string' } } },
});
iii.registerFunction('bundle::ping', async () => ({ ok: true }), {
  description: 'Answers',
  request_format: { type: 'object' },
  response_format: { type: 'object', properties: { ok: { type: 'boolean' } } },
});
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
`;

beforeAll(async () => {
  servers = await startE2eServers();
  await publishFixtureReleases(servers);
  const archive = await makeTarGz([
    // What the release packs wins over the source folder's manifest (whose start would fail).
    { name: 'iii.worker.yaml', content: 'name: js-bundle\nscripts:\n  start: node ./index.js\n' },
    { name: 'index.js', content: BUNDLE_INDEX },
  ]);
  bundleSha256 = sha256Hex(archive);
  servers.uploadAssets('js-bundle/v0.4.0', [
    { name: 'js-bundle.tar.gz', body: archive },
    { name: 'js-bundle.sha256', body: `${bundleSha256}  js-bundle.tar.gz\n` },
  ]);

  workspace = NxWorkspace.create({ label: 'registry-publication', env: { WORKERS_REGISTRY_API_KEY: servers.apiKey } });
  layHappyWorkers(workspace, servers, ['release-echo']);
  workspace.write(
    'workers/js-bundle/iii.worker.yaml',
    [
      'iii: v1',
      'name: js-bundle',
      'language: javascript',
      'deploy: bundle',
      'manifest: package.json',
      'description: A JavaScript bundle worker',
      'license: Apache-2.0',
      'tags: [Demo, bundle, " demo "]',
      'experimental: true',
      'config: {greeting: hi}',
      'scripts: {start: "exit 9"}',
      '',
    ].join('\n'),
  );
  workspace.write('workers/js-bundle/package.json', JSON.stringify({ name: 'js-bundle', version: '0.4.0', private: true }, null, 2));
  workspace.write('workers/js-bundle/config.yaml', 'greeting: overridden by the inline config\n');
  workspace.write(
    'workers/js-bundle/project.json',
    JSON.stringify({
      name: 'js-bundle',
      targets: {
        'collect-interface': { options: { tag: 'js-bundle/v0.4.0', releaseBaseUrl: servers.releaseBaseUrl } },
        'publish-interface': { options: { apiUrl: servers.registry.url, repoUrl: E2E_REPO.url, releaseBaseUrl: servers.releaseBaseUrl } },
      },
    }, null, 2),
  );
  workspace.commitAll('release-echo and js-bundle');
});

afterAll(async () => {
  await servers?.close();
  workspace?.dispose();
});

async function nx(...args: string[]) {
  workspace.clearMarkers();
  const run = await workspace.nx(args);
  expect(run.output).not.toMatch(STACK_TRACE);
  expect(run.output).not.toContain(servers.apiKey);
  return run;
}

const postsFor = (worker: string) => servers.registry.requests.filter((r) => r.method === 'POST' && r.path === '/publish' && JSON.parse(r.body).worker_name === worker);

test('a bundle worker: collected from its verified release archive, published with archive_url and sha256', async () => {
  const run = await nx('run', 'js-bundle:publish-interface');
  expectSuccess(run);
  expect(run.output).toContain('launch plan: release-bundle (release bundle js-bundle.tar.gz of js-bundle/v0.4.0');
  expect(run.output).toContain('published js-bundle 0.4.0 (new)');
  expect(run.output).toContain('channel latest: (unassigned) → 0.4.0');

  const started = markersOf(workspace.markerDir, 'js-bundle');
  expect(started).toHaveLength(1);
  expect(started[0].details.cwd).toContain(`${workspace.path('.nx/cache/worker-publish/extracted')}/${bundleSha256}`);
  expect(started[0].details.envNames).not.toContain('WORKERS_REGISTRY_API_KEY');

  const accepted = servers.registry.published.filter((p) => p.worker_name === 'js-bundle');
  expect(accepted).toHaveLength(1);
  const { readme: _readme, functions, triggers, ...rest } = accepted[0];
  expect(rest).toEqual({
    worker_name: 'js-bundle',
    version: '0.4.0',
    type: 'bundle',
    repo: E2E_REPO.url,
    description: 'A JavaScript bundle worker',
    license: 'Apache-2.0',
    tags: ['demo', 'bundle'],
    dependencies: [],
    config: { greeting: 'hi' },
    experimental: true,
    archive_url: `${servers.releaseBaseUrl}/js-bundle/v0.4.0/js-bundle.tar.gz`,
    sha256: bundleSha256,
  });
  expect((functions as { name: string }[]).map((f) => f.name)).toEqual(['bundle::greet', 'bundle::ping']);
  expect(triggers).toEqual([]);
  expect(servers.registry.channel('js-bundle', 'latest')).toBe('0.4.0');
});

test('a binary worker staged on next, then republished identically (409 → success) and promoted to latest', async () => {
  const staged = await nx('run', 'release-echo:publish-interface', '--registryTag=next');
  expectSuccess(staged);
  expect(staged.output).toContain('published release-echo 1.2.0 (new)');
  expect(staged.output).toContain('channel next: (unassigned) → 1.2.0');
  expect(servers.registry.channel('release-echo', 'next')).toBe('1.2.0');
  expect(servers.registry.channel('release-echo', 'latest')).toBeNull();

  // latest still points at an older release, as it would after the previous promotion.
  const previous = { ...servers.registry.published.find((p) => p.worker_name === 'release-echo')!, version: '1.1.0' };
  servers.registry.seedVersion(previous);
  servers.registry.seedChannel('release-echo', 'latest', '1.1.0');

  const promoted = await nx('run', 'release-echo:publish-interface', '--registryTag=latest');
  expectSuccess(promoted);
  expect(promoted.output).toContain('published release-echo 1.2.0 (already published, identical)');
  expect(promoted.output).toContain('channel latest: 1.1.0 → 1.2.0');
  expect(postsFor('release-echo')).toHaveLength(2);
  expect(postsFor('release-echo')[1].body).toBe(postsFor('release-echo')[0].body);
  expect(servers.registry.published.filter((p) => p.worker_name === 'release-echo')).toHaveLength(1);
  const moves = servers.registry.requests.filter((r) => r.method === 'PUT' && r.path === '/w/release-echo/tags/latest');
  expect(moves.map((r) => JSON.parse(r.body))).toEqual([{ version: '1.2.0', expected_current_version: '1.1.0' }]);
  expect(servers.registry.channel('release-echo', 'latest')).toBe('1.2.0');
  expect(servers.registry.channel('release-echo', 'next')).toBe('1.2.0');
});

test('a dry run where no registry answers: one warning naming the URL, the comparison skipped, success', async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  const run = await nx('run', 'release-echo:publish-interface', '--dryRun', `--apiUrl=http://127.0.0.1:${port}`);
  expectSuccess(run);
  expect(run.output).toMatch(new RegExp(`⚠ registry not reachable at http://127\\.0\\.0\\.1:${port}/: interface comparison skipped`));
  expect(run.output).toContain('would publish release-echo 1.2.0');
  expect(run.output).toContain('dry run: payload written to dist/workers/release-echo/publish-payload.json');
});
