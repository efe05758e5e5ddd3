// `nx g nx-worker-publish:worker` scaffolds a worker that collects and publishes (dry run) on the first try, and a
// worker missing several publish settings hears about all of them at once, before anything is started (issue 11, 7).
import { expectFailure, expectSuccess, STACK_TRACE } from './support/expect-run';
import { failureParagraph } from './support/nx-output';
import { NxWorkspace } from './support/nx-workspace';

jest.setTimeout(240_000);

let workspace: NxWorkspace;

beforeAll(() => {
  workspace = NxWorkspace.create({ label: 'generator', nxJson: {} });
  workspace.commitAll('empty workspace');
});

afterAll(() => workspace?.dispose());

test('the worker generator scaffolds a JavaScript image worker that publishes (dry run) on the first try', async () => {
  const generate = await workspace.nx(['g', 'nx-worker-publish:worker', 'hello', '--skipInstall', '--no-interactive']);
  expectSuccess(generate);
  for (const file of ['iii.worker.yaml', 'package.json', 'worker.js', 'README.md', 'project.json']) {
    expect(workspace.exists(`workers/hello/${file}`)).toBe(true);
  }
  expect(workspace.readJson('nx.json').plugins).toContain('nx-worker-publish');
  expect(workspace.readJson('workers/hello/package.json').version).toBe('0.1.0');
  expect(workspace.readJson('package.json').devDependencies['iii-sdk']).toBe('^0.22.1');

  const publish = await workspace.nx(['run', 'hello:publish-interface:dry-run']);
  expectSuccess(publish);
  expect(publish.output).toContain('worker registered: hello');
  const payload = workspace.readJson('dist/workers/hello/publish-payload.json');
  expect(payload).toMatchObject({ worker_name: 'hello', version: '0.1.0', type: 'image', image_tag: 'ghcr.io/your-org/hello:0.1.0' });
  expect(JSON.stringify(payload)).toContain('hello::hello');
  // The image tag follows the version, and the placeholder owner is flagged (a real publish fails on it; issue 19 #7).
  expect(workspace.readJson('workers/hello/project.json').targets['publish-interface'].options.imageTag).toBe('ghcr.io/your-org/hello:{version}');
  expect(publish.output).toContain('⚠ imageTag "ghcr.io/your-org/hello:0.1.0" still holds a placeholder (your-org)');
});

test('--directory and --deploy binary: the files say so', async () => {
  const generate = await workspace.nx(['g', 'nx-worker-publish:worker', 'tool', '--directory=services/tool', '--deploy=binary', '--skipInstall', '--no-interactive']);
  expectSuccess(generate);
  const manifest = workspace.read('services/tool/iii.worker.yaml');
  expect(manifest).toContain('deploy: binary');
  expect(manifest).toContain('bin: tool');
  expect(workspace.readJson('services/tool/project.json').targets['publish-interface'].options.imageTag).toBeUndefined();
});

test('missing manifest, repository and imageTag are reported together, and the worker is not started', async () => {
  workspace.write('workers/broken/iii.worker.yaml', 'iii: v1\nname: broken\nlanguage: node\ndeploy: image\nscripts:\n  start: node worker.js\n');
  workspace.write('workers/broken/worker.js', workspace.read('workers/hello/worker.js').replace(/hello/g, 'broken'));
  workspace.commitAll('a worker without its publish settings');
  const run = await workspace.nx(['run', 'broken:publish-interface:dry-run']);
  expectFailure(run);
  const paragraph = failureParagraph(run.output)!;
  expect(paragraph).toContain('not ready to publish (3 problems; nothing was started)');
  expect(paragraph).toContain('`manifest`');
  expect(paragraph).toMatch(/repo/i);
  expect(paragraph).toContain('`imageTag`');
  expect(run.output).not.toContain('engine ready');
  expect(run.output).not.toMatch(STACK_TRACE);
});
