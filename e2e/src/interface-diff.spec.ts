// Reviewing an interface change on a pull request: `nx affected -t interface-diff` on a commit with a breaking change
// (node-todo, under a patch bump) and a compatible one (kebab-db, under a minor bump). Against the registry's `latest`,
// then with the registry unreachable (a fork's pull request) against the base commit, served from the Nx cache.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturesThat, markersOf } from '../../tools/fixture-workers/src';
import { startE2eServers, type E2eServers } from './support/e2e-servers';
import { expectFailure, expectSuccess, STACK_TRACE } from './support/expect-run';
import { layHappyWorkers } from './support/happy-workers';
import { NxWorkspace } from './support/nx-workspace';

jest.setTimeout(300_000);

let servers: E2eServers;
let workspace: NxWorkspace;
let summaryFile: string;

const report = (worker: string) => workspace.readJson(`dist/workers/${worker}/interface-diff.json`);
const markdown = (worker: string) => workspace.read(`dist/workers/${worker}/interface-diff.md`);
const edit = (file: string, from: string, to: string) => {
  const text = workspace.read(file);
  if (!text.includes(from)) throw new Error(`test setup: ${file} has no ${from}`);
  workspace.write(file, text.replace(from, to));
};

/** A port nothing listens on: the registry as a fork's pull request sees it. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  servers = await startE2eServers();
  workspace = NxWorkspace.create({
    label: 'diff',
    nxJson: { plugins: [{ plugin: 'nx-worker-publish', options: { diffOptions: { apiUrl: servers.registry.url } } }] },
    env: { WORKERS_REGISTRY_API_KEY: servers.apiKey },
  });
  layHappyWorkers(workspace, servers, ['node-todo', 'kebab-db']);
  workspace.commitAll('two workers');
  // The released state: both on `latest` (node-todo 0.3.0, kebab-db 1.0.3), both collections in the Nx cache.
  expectSuccess(await workspace.nx(['run-many', '-t', 'publish-interface']));
  expect(servers.registry.channel('node-todo', 'latest')).toBe('0.3.0');

  // The pull request. node-todo: a function removed and a new required input, shipped as a patch.
  edit('workers/node-todo/worker.js', "iii.registerFunction(\n  'todo::complete'", "iii.registerFunction(\n  'todo::finish'");
  edit('workers/node-todo/worker.js', "properties: { title: { type: 'string' } }, required: ['title']", "properties: { title: { type: 'string' }, due: { type: 'string' } }, required: ['title', 'due']");
  edit('workers/node-todo/package.json', '"version": "0.3.0"', '"version": "0.3.1"');
  // kebab-db: a new function and a new response property, shipped as a minor.
  edit('workers/kebab-db/worker.js', "iii.registerFunction('kebab-db::migrate'", "iii.registerFunction('kebab-db::vacuum', async () => null, { description: 'Reclaim space' });\niii.registerFunction('kebab-db::migrate'");
  edit('workers/kebab-db/worker.js', "properties: { rows: { type: 'array' } }", "properties: { rows: { type: 'array' }, took_ms: { type: 'integer' } }");
  edit('workers/kebab-db/package.json', '"version": "1.0.3"', '"version": "1.1.0"');
  workspace.commitAll('pull request: todo::complete becomes todo::finish, create needs due; kebab-db gains vacuum');
  summaryFile = workspace.path('tmp/step-summary.md'); // tmp/ is git-ignored: not a change `affected` sees
  workspace.write('tmp/step-summary.md', '');
});

afterAll(async () => {
  await servers?.close();
  workspace?.dispose();
});

const ciEnv = () => ({ NX_BASE: 'HEAD~1', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile });

test('against the registry: one report per changed worker, the breaking one fails under its patch bump, one job summary', async () => {
  writeFileSync(summaryFile, '');
  const run = await workspace.nx(['affected', '-t', 'interface-diff'], { env: ciEnv() });
  expectFailure(run);
  expect(run.output).not.toMatch(STACK_TRACE);
  // On GitHub Actions Nx wraps each task in a `::group::` line, so the header is not at the start of its line.
  const diffTasks = [...run.output.matchAll(/> nx run (\S+:interface-diff)/g)].map((match) => match[1]).sort();
  expect(diffTasks).toEqual(['kebab-db:interface-diff', 'node-todo:interface-diff']);

  const todo = report('node-todo');
  expect(todo.reference).toEqual({ kind: 'registry', label: '0.3.0 (registry channel latest)', version: '0.3.0' });
  expect(todo.verdict).toMatchObject({ status: 'breaking', version: '0.3.1', referenceVersion: '0.3.0', requiredVersion: '0.4.0' });
  expect(todo.verdict.breaking).toEqual(['removed function todo::complete', 'todo::create request_schema: required due added']);
  expect(todo.diff.functions.added).toEqual(['todo::finish']);
  expect(run.output).toContain('✖ breaking interface changes in node-todo: 2 breaking change(s) compared with 0.3.0 (registry channel latest), under the patch bump 0.3.0 → 0.3.1');
  expect(run.output).toContain('Release them as 0.4.0 or later');

  const db = report('kebab-db');
  expect(db.reference.label).toBe('1.0.3 (registry channel latest)');
  expect(db.verdict).toMatchObject({ status: 'compatible', breaking: [] });
  expect(db.diff.functions.added).toEqual(['kebab-db::vacuum']);
  expect(db.diff.functions.changed).toEqual([
    { name: 'kebab-db::query', schemas: [{ schema: 'response_schema', changes: [{ kind: 'property-added', path: 'took_ms', breaking: false }] }] },
  ]);

  expect(markdown('node-todo')).toContain('| removed function | `todo::complete` | **yes** |');
  expect(markdown('node-todo')).toContain('| request_schema: required due added | `todo::create` | **yes** |');
  expect(markdown('kebab-db')).toContain('### kebab-db 1.1.0: ✔ compatible');

  const summary = readFileSync(summaryFile, 'utf8');
  expect(summary).toContain('## Worker interfaces: 2 compared, 1 blocked by breaking changes');
  expect(summary).toMatch(/\| node-todo \| 0\.3\.1 \| 0\.3\.0 \(registry channel latest\) \| 1 added, 1 removed, 1 changed \| ✖ breaking \(needs 0\.4\.0\) \|/);
  expect(summary).toContain('### node-todo 0.3.1: ✖ breaking');
  expect(summary).toContain('### kebab-db 1.1.0: ✔ compatible');
});

test('allowBreakingChanges lets the breaking change through, with a warning and the same report', async () => {
  const run = await workspace.nx(['run', 'node-todo:interface-diff', '--allowBreakingChanges'], { env: ciEnv() });
  expectSuccess(run);
  expect(run.output).toContain('(allowed by allowBreakingChanges)');
  expect(report('node-todo').verdict.status).toBe('breaking-allowed-by-option');
});

test('with the registry unreachable, the base commit is the reference, and its collection comes from the Nx cache', async () => {
  workspace.clearMarkers();
  writeFileSync(summaryFile, '');
  const unreachable = `http://127.0.0.1:${await closedPort()}`;
  const run = await workspace.nx(['affected', '-t', 'interface-diff', `--apiUrl=${unreachable}`], { env: ciEnv() });
  expectFailure(run);
  const baseCommit = workspace.git('rev-parse', 'HEAD~1').trim().slice(0, 12);

  const todo = report('node-todo');
  expect(todo.reference).toMatchObject({ kind: 'base-commit', label: `0.3.0 at base commit ${baseCommit} (HEAD~1)`, version: '0.3.0' });
  expect(todo.reference.note).toContain(`The registry was not reachable: GET ${unreachable}/w/node-todo/versions`);
  expect(todo.verdict).toMatchObject({ status: 'breaking', requiredVersion: '0.4.0' });
  expect(todo.verdict.breaking).toEqual(['removed function todo::complete', 'todo::create request_schema: required due added']);
  expect(report('kebab-db').reference.label).toBe(`1.0.3 at base commit ${baseCommit} (HEAD~1)`);
  expect(report('kebab-db').verdict.status).toBe('compatible');
  expect(run.output).toContain(`interface at base commit ${baseCommit} read from the Nx cache`);
  // Both collections (this commit's and the base commit's) came from the cache: no worker started.
  expect(fixturesThat(workspace.markerDir, 'started')).toEqual([]);
  expect(readFileSync(summaryFile, 'utf8')).toContain(`| node-todo | 0.3.1 | 0.3.0 at base commit ${baseCommit} (HEAD~1) |`);
  // The temporary worktrees are gone.
  expect(workspace.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
});

test('without a cached base collection, the base commit worker is collected in a worktree', async () => {
  workspace.clearMarkers();
  // The run's own temporary folder, to see what it leaves there.
  const runTmp = mkdtempSync(join(tmpdir(), 'diff-run-tmp-'));
  const env = { ...ciEnv(), TMPDIR: runTmp, NX_NATIVE_FILE_CACHE_DIRECTORY: undefined };
  const run = await workspace.nx(['run', 'kebab-db:interface-diff', '--reference=base', '--skip-nx-cache'], { env });
  const leftInTmp = readdirSync(runTmp);
  rmSync(runTmp, { recursive: true, force: true });
  expectSuccess(run);
  // Only the outer nx's copy of its native binary stays (as for any nx command): the worktree, and the nested nx's
  // copy named after the worktree's path, went with the checkout.
  expect(leftInTmp).toEqual([expect.stringMatching(/^nx-native-file-cache-/)]);
  expect(run.output).toContain('collected (');
  // kebab-db ran twice: this commit's collection in the workspace, the base commit's in a temporary worktree.
  const cwds = markersOf(workspace.markerDir, 'kebab-db').map((marker) => marker.details.cwd);
  expect(cwds).toHaveLength(2);
  expect(cwds).toContain(workspace.path('workers/kebab-db'));
  expect(cwds.find((cwd) => cwd !== workspace.path('workers/kebab-db'))).toMatch(/nxwp-base-.*\/workspace\/workers\/kebab-db$/);
  expect(report('kebab-db').reference.label).toMatch(/^1\.0\.3 at base commit [0-9a-f]{12} \(HEAD~1\)$/);
  expect(workspace.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
});
