import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { startRegistryServer, type RegistryServer } from '../../../../../../tools/registry-server/src';
import { bufferedReporter } from '../../../core/reporter/step-reporter';
import type { RunTarget } from '../../shared/project-context';
import { createTempWorkspace, type TempWorkspace } from '../../test-support/temp-workspace';
import { BaseCommitInterfaces } from './base-commit-interface';
import { runDiff } from './run-diff';

const fn = (name: string) => ({ name, description: '', request_schema: {}, response_schema: {}, metadata: {} });
const iface = (names: string[]) => `${JSON.stringify({ functions: names.map(fn), triggers: [] }, null, 2)}\n`;

let workspace: TempWorkspace;
let registry: RegistryServer;

beforeEach(async () => {
  registry = await startRegistryServer({ apiKey: 'unused-key' });
  workspace = createTempWorkspace({
    worker: 'todo',
    files: { 'iii.worker.yaml': 'iii: v1\nname: todo\nlanguage: node\ndeploy: image\nmanifest: package.json\n', 'package.json': '{"name":"todo","version":"1.0.1"}\n' },
  });
  workspace.writeFile('dist/workers/todo/worker-interface.json', iface(['todo::create']));
});
afterEach(async () => {
  workspace.remove();
  await registry.stop();
});

const target = (): RunTarget => ({
  locate: () => ({ workspaceRoot: workspace.root, projectName: 'todo', projectRoot: workspace.projectRoot }),
  label: 'todo',
  collectHint: 'nx run todo:collect-interface',
  releaseCommand: (tag) => `nx run todo:publish-interface --tag=${tag}`,
  isVerbose: false,
});

async function diff(options: Record<string, unknown>) {
  const reporter = bufferedReporter();
  const baseCommit = new BaseCommitInterfaces();
  const outcome = await runDiff({ apiUrl: registry.url, ...options }, target(), { collectTarget: 'collect-interface', baseCommit }, reporter).finally(() => baseCommit.dispose());
  return { ...outcome, output: reporter.text() };
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

test('a breaking change against the channel fails and still writes both reports; a major bump passes', async () => {
  registry.seedVersion({ worker_name: 'todo', version: '1.0.0', type: 'image', image_tag: 'x', functions: [fn('todo::create'), fn('todo::delete')], triggers: [] } as never);
  registry.seedChannel('todo', 'latest', '1.0.0');
  const failed = await diff({});
  expect(failed.success).toBe(false);
  expect(failed.output).toContain('removed function todo::delete');
  expect(failed.output).toContain('Release them as 2.0.0 or later');
  expect(existsSync(`${workspace.root}/dist/workers/todo/interface-diff.md`)).toBe(true);
  expect(JSON.parse(workspace.readFile('dist/workers/todo/interface-diff.json')).verdict.status).toBe('breaking');

  const passed = await diff({ version: '2.0.0' });
  expect(passed.success).toBe(true);
  expect(passed.report?.verdict.status).toBe('breaking-allowed-by-version');
});

test('a worker never published compares with nothing: everything is added, nothing breaks', async () => {
  const outcome = await diff({});
  expect(outcome.success).toBe(true);
  expect(outcome.report?.reference).toEqual({ kind: 'none', label: 'nothing (registry channel latest of todo is unassigned)' });
  expect(outcome.report?.diff.functions.added).toEqual(['todo::create']);
});

test('reference registry with the registry unreachable fails naming the URL, and leaves no stale report', async () => {
  workspace.writeFile('dist/workers/todo/interface-diff.md', 'an old report\n');
  const apiUrl = `http://127.0.0.1:${await closedPort()}`;
  const outcome = await diff({ reference: 'registry', apiUrl });
  expect(outcome.success).toBe(false);
  expect(outcome.output).toContain(`cannot read the reference from the registry (GET ${apiUrl}/w/todo/versions:`);
  expect(outcome.output).toContain('Set reference to auto or base');
  expect(existsSync(`${workspace.root}/dist/workers/todo/interface-diff.md`)).toBe(false);
});

test('the base-commit reference without the base commit says how to fetch it', async () => {
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: workspace.root });
  const outcome = await diff({ reference: 'base', base: 'origin/nowhere' });
  expect(outcome.success).toBe(false);
  expect(outcome.output).toContain('cannot find the base commit: `git merge-base origin/nowhere HEAD` failed');
  expect(outcome.output).toContain('fetch-depth: 0');
});

test('a worker the pull request creates has nothing at the base commit: everything is added, the worktree is removed', async () => {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: workspace.root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' } });
  git('init', '-q', '-b', 'main');
  workspace.writeFile('README.md', '# before the worker\n');
  git('add', 'README.md');
  git('commit', '-q', '-m', 'base');
  const outcome = await diff({ reference: 'base', base: 'main' });
  expect(outcome.success).toBe(true);
  expect(outcome.report?.reference.kind).toBe('none');
  expect(outcome.report?.reference.label).toMatch(/^nothing \(workers\/todo does not exist at base commit [0-9a-f]{12} \(main\)\)$/);
  expect(outcome.report?.diff.functions.added).toEqual(['todo::create']);
  expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
});

test('no collected interface: the hint names the collection target', async () => {
  workspace.remove();
  workspace = createTempWorkspace({ worker: 'todo', files: { 'iii.worker.yaml': 'iii: v1\nname: todo\ndeploy: image\nmanifest: package.json\n', 'package.json': '{"name":"todo","version":"1.0.1"}\n' } });
  const outcome = await diff({});
  expect(outcome.success).toBe(false);
  expect(outcome.output).toContain('Run `nx run todo:collect-interface` first.');
});
