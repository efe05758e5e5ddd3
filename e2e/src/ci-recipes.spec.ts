// Issue 19: a workspace shaped like the iii workers repository (git-ignored lockfile, a project name taken by another
// package, manifests without `deploy` under tests/ and example/, workers that depend on each other) runs the README's
// CI recipes as written, on Nx 22 and on Nx 24: pull request (dry run), main (collect only), release tag (publish).
import { E2E_REPO, startE2eServers, type E2eServers } from './support/e2e-servers';
import { expectSuccess } from './support/expect-run';
import { NxWorkspace } from './support/nx-workspace';
import { nxCommandsOf, readmeShellBlocks } from './support/readme-recipes';
import type { NxRun } from './support/run-nx';
import { layWorkersRepoShape } from './support/workers-repo-shape';

jest.setTimeout(300_000);

const [PULL_REQUEST, MAIN, RELEASE_TAG] = readmeShellBlocks('### CI');
const NX_24_FALSE_ALARM = 'closed its connection';
/** The JSON document `nx show … --json` printed, after any warning lines. */
const jsonOf = (run: NxRun) => JSON.parse(run.output.slice(run.output.search(/^[[{]/m)));
/** Task lines: Nx 22 prints `> nx run <task>` (twice for a batch), Nx 24 `✔  nx run <task>` under CI. */
const TASK_LINE = /^(?:>|✔|✖)\s+nx run (\S+)(.*)$/gm;
const taskLines = (run: NxRun) => [...run.output.matchAll(TASK_LINE)].map(([, task, rest]) => ({ task, fromCache: /\[(local cache|existing outputs)/.test(rest) }));
/** Each task once, sorted. */
const tasksOf = (run: NxRun) => [...new Set(taskLines(run).map((line) => line.task))].sort();
/** The tasks that ran, not replayed from the cache. */
const tasksRun = (run: NxRun) => tasksOf(run).filter((task) => !taskLines(run).some((line) => line.task === task && line.fromCache));

describe.each([
  ['Nx 22', 'nx' as const],
  ['Nx 24', 'nx-24' as const],
])('the README CI recipes in a workers-repository-shaped workspace, %s', (_label, nx) => {
  let servers: E2eServers;
  let workspace: NxWorkspace;

  /** Runs every `npx nx` command of a README block in the workspace; all must succeed. */
  async function runRecipe(block: string, env: Record<string, string> = {}): Promise<NxRun[]> {
    const runs: NxRun[] = [];
    for (const args of nxCommandsOf(block, env)) {
      const run = await workspace.nx(args, { env });
      expectSuccess(run);
      // Nx 24 closes a task process's IPC channel once its result is in: not an orphaned task (issue 19 #2).
      expect(run.output).not.toContain(NX_24_FALSE_ALARM);
      runs.push(run);
    }
    return runs;
  }

  const writes = () => servers.registry.requests.filter((request) => request.method !== 'GET');

  beforeAll(async () => {
    servers = await startE2eServers();
    workspace = NxWorkspace.create({ label: `ci-recipes-${nx}`, nx });
    layWorkersRepoShape(workspace, servers);
    workspace.commitAll('workers');
    // A clone's view of its remote: origin is the repository's web address (the release URLs derive from it), and
    // origin/main is where the pull request branched off. Nothing is fetched.
    workspace.git('remote', 'add', 'origin', E2E_REPO.url);
    workspace.git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  });

  afterAll(async () => {
    await servers?.close();
    workspace?.dispose();
  });

  test('the graph builds: no npm node named, the colliding folder renamed, fixtures not publishable, worker edges', async () => {
    expect(workspace.git('check-ignore', 'package-lock.json').trim()).toBe('package-lock.json');
    const projects = await workspace.nx(['show', 'projects', '--json']);
    expectSuccess(projects);
    expect(jsonOf(projects).sort()).toEqual(
      ['example', 'harness', 'iii-lsp', 'iii-lsp-worker', 'kebab-db', 'node-todo'].sort(),
    );
    expect(projects.output).toContain('the project name "iii-lsp" of iii-lsp/iii.worker.yaml is taken by iii-lsp-vscode/package.json');

    for (const fixture of ['harness', 'example']) {
      const shown = await workspace.nx(['show', 'project', fixture, '--json']);
      expectSuccess(shown);
      expect(Object.keys(jsonOf(shown).targets)).toEqual(['collect-interface']);
    }

    const graph = await workspace.nx(['graph', '--file=graph.json']);
    expectSuccess(graph);
    const { dependencies } = workspace.readJson('graph.json').graph;
    expect(dependencies['node-todo']).toContainEqual({ source: 'node-todo', target: 'kebab-db', type: 'static' });
    expect(dependencies['kebab-db']).toEqual([]);
  });

  test('pull request: the dry run follows the worker graph, writes nothing to the registry, skips the fixtures', async () => {
    workspace.git('checkout', '-q', '-b', 'change-kebab-db');
    workspace.write('workers/kebab-db/worker.js', `${workspace.read('workers/kebab-db/worker.js')}// a change\n`);
    workspace.write('iii-database/tests/e2e/workers/harness/README.md', 'harness\n');
    workspace.commitAll('kebab-db: a change');

    const [run] = await runRecipe(PULL_REQUEST);
    // node-todo lists kebab-db under dependencies: it is affected too. The harness has no publish target.
    expect(tasksOf(run)).toEqual(['kebab-db:collect-interface', 'kebab-db:publish-interface:dry-run', 'node-todo:collect-interface', 'node-todo:publish-interface:dry-run']);
    expect(workspace.exists('dist/workers/node-todo/publish-payload.json')).toBe(true);
    expect(writes()).toEqual([]);
    workspace.git('checkout', '-q', 'main');
    workspace.git('merge', '-q', '--ff-only', 'change-kebab-db');
  });

  test('main: a docs-only commit collects from the cache and publishes nothing', async () => {
    workspace.write('workers/node-todo/README.md', `${workspace.read('workers/node-todo/README.md')}\nMore docs.\n`);
    workspace.commitAll('node-todo: docs');
    const [run] = await runRecipe(MAIN);
    // Nx 22 selects the project and collects from the cache; Nx 24 selects tasks by inputs, and docs are not one.
    expect(tasksOf(run)).toEqual(nx === 'nx' ? ['node-todo:collect-interface'] : []);
    expect(tasksRun(run)).toEqual([]);
    expect(writes()).toEqual([]);
  });

  test('release tag: the tagged worker is collected and published', async () => {
    workspace.git('tag', '-a', 'node-todo/v0.3.0', '-m', 'node-todo 0.3.0');
    await runRecipe(RELEASE_TAG, { TAG: 'node-todo/v0.3.0', WORKERS_REGISTRY_API_KEY: servers.apiKey });
    expect(servers.registry.published.map((payload) => [payload.worker_name, payload.version])).toEqual([['node-todo', '0.3.0']]);
  });
});
