// This repository uses the plugin on its own examples (issue 11, points 2 and 6): after the Quick start the bin is
// there, and a change to the plugin's sources is an input of the examples' collection (with a graph edge, so
// `nx affected` sees it too). Read-only: nothing here writes into the repository.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './support/nx-workspace';
import { stripAnsi } from './support/strip-ansi';

jest.setTimeout(120_000);

const NX_ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NODE_OPTIONS: '' };
const NX_CLI = join(REPO_ROOT, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
const nx = (args: string[]) => execFileSync(process.execPath, [NX_CLI, ...args], { cwd: REPO_ROOT, env: NX_ENV, encoding: 'utf8' });

test('`npx worker-publish --help` runs the linked bin (nothing is fetched)', () => {
  // --no: never download a package of that name, which is what answered "404 Not Found" before.
  const help = execFileSync('npm', ['exec', '--no', '--', 'worker-publish', '--help'], { cwd: REPO_ROOT, env: NX_ENV, encoding: 'utf8' });
  expect(help).toContain('Usage: worker-publish <command> [options]');
  expect(help).toMatch(/collect\s+start an engine and the worker/);
});

test.each(['todo-worker', 'echo-binary'])('the plugin sources are inputs of %s:collect-interface, its specs and README are not', (example) => {
  // `--check` exits non-zero for a file that is not an input; its verdict is on stdout either way.
  const check = (file: string) =>
    // CI=true makes Nx colour its verdict.
    stripAnsi(spawnSync(process.execPath, [NX_CLI, 'show', 'target', 'inputs', `${example}:collect-interface`, '--check', file], { cwd: REPO_ROOT, env: NX_ENV, encoding: 'utf8' }).stdout);
  expect(check('packages/nx-worker-publish/src/core/collect/collect-worker-interface.ts')).toContain('is an input');
  expect(check('packages/nx-worker-publish/src/plugin/create-nodes.spec.ts')).toContain('is not an input');
  expect(check(`examples/${example}/README.md`)).toContain('is not an input');
});

test('the examples depend on the plugin project in the graph', () => {
  const project = JSON.parse(nx(['show', 'project', 'todo-worker', '--json']));
  expect(project.implicitDependencies).toEqual(['nx-worker-publish']);
  expect(project.targets['collect-interface'].inputs).toContainEqual({ externalDependencies: ['iii-sdk'] });
});
