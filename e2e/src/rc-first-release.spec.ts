// An rc-first release of a worker with skills, through the real `nx` CLI against the registry stand-in: the release
// candidate X.Y.Z-rc.N (annotated tag, registry-tag: next) goes to next with its skills snapshot, each write proved
// by its readback; then `nx run <w>:finalize-release --tag=<w>/vX.Y.Z` mints the stable X.Y.Z on latest from the
// candidate's bytes, with no worker started.
import { markersOf } from '../../tools/fixture-workers/src';
import { E2E_REPO, startE2eServers, type E2eServers } from './support/e2e-servers';
import { expectFailure, expectSuccess, STACK_TRACE } from './support/expect-run';
import { layHappyWorkers } from './support/happy-workers';
import { NxWorkspace } from './support/nx-workspace';

jest.setTimeout(240_000);

let servers: E2eServers;
let workspace: NxWorkspace;

const SKILL_OVERVIEW = '# node-todo\n\nKeeps a todo list. See skills/todo/add.md.\n';
const SKILL_ADD = '# add\n\nAdds an item: `todo::add {text}`.\n';

beforeAll(async () => {
  servers = await startE2eServers();
  workspace = NxWorkspace.create({ label: 'rc-first', env: { WORKERS_REGISTRY_API_KEY: servers.apiKey } });
  layHappyWorkers(workspace, servers, ['node-todo', 'kebab-db']);
  workspace.write('workers/node-todo/skills/SKILL.md', SKILL_OVERVIEW);
  workspace.write('workers/node-todo/skills/todo/add.md', SKILL_ADD);
  const manifest = JSON.parse(workspace.read('workers/node-todo/package.json'));
  workspace.write('workers/node-todo/package.json', `${JSON.stringify({ ...manifest, version: '0.4.0-rc.1' }, null, 2)}\n`);
  workspace.commitAll('node-todo 0.4.0-rc.1 with skills');
  workspace.git('tag', '-a', 'node-todo/v0.4.0-rc.1', '-m', 'Release node-todo/v0.4.0-rc.1\n\nregistry-tag: next\n');
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

const writesTo = (worker: string) =>
  servers.registry.requests.filter((r) => r.method !== 'GET' && r.path !== '/resolve' && (r.path.startsWith(`/w/${worker}/`) || (r.path === '/publish' && r.body.includes(`"worker_name": "${worker}"`))));

test('the rc goes to next with its skills; finalize-release mints the stable on latest; a rerun is unchanged', async () => {
  const rc = await nx('run', 'node-todo:publish-interface', '--tag=node-todo/v0.4.0-rc.1', '--imageTag=ghcr.io/iii-hq/node-todo:0.4.0-rc.1', `--repoUrl=${E2E_REPO.url}`);
  expectSuccess(rc);
  expect(rc.output).toContain('published node-todo 0.4.0-rc.1 (new)');
  expect(rc.output).toContain('skills of node-todo 0.4.0-rc.1: 2 documents (published)');
  expect(rc.output).toContain('channel next: (unassigned) → 0.4.0-rc.1');
  // Version, skills, channel: in that order, nothing else written.
  expect(writesTo('node-todo').map((r) => `${r.method} ${r.path}`)).toEqual(['POST /publish', 'POST /w/node-todo/skills', 'PUT /w/node-todo/tags/next']);
  const skills = (await (await fetch(`${servers.registry.url}/w/node-todo/skills?version=0.4.0-rc.1`)).json()) as { skills: unknown };
  expect(skills.skills).toEqual([
    { path: 'SKILL.md', content: SKILL_OVERVIEW },
    { path: 'skills/todo/add.md', content: SKILL_ADD },
  ]);
  expect(servers.registry.channel('node-todo', 'next')).toBe('0.4.0-rc.1');
  expect(servers.registry.channel('node-todo', 'latest')).toBeNull();

  // An rc may not go to latest: refused before anything is written.
  const wrong = await nx('run', 'node-todo:publish-interface', '--tag=node-todo/v0.4.0-rc.1', '--registryTag=latest', '--imageTag=ghcr.io/iii-hq/node-todo:0.4.0-rc.1', `--repoUrl=${E2E_REPO.url}`);
  expectFailure(wrong);
  expect(wrong.output).toContain('channel latest takes only a pure MAJOR.MINOR.PATCH version, and 0.4.0-rc.1 is not one');

  servers.registry.requests.splice(0);
  const final = await nx('run', 'node-todo:finalize-release', '--tag=node-todo/v0.4.0', `--apiUrl=${servers.registry.url}`);
  expectSuccess(final);
  expect(final.output).toContain('finalized node-todo 0.4.0-rc.1 as 0.4.0: latest and next point to 0.4.0');
  expect(markersOf(workspace.markerDir, 'node-todo')).toEqual([]); // no worker ran
  expect(servers.registry.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual(['POST /w/node-todo/releases/finalize']);
  expect(servers.registry.channel('node-todo', 'latest')).toBe('0.4.0');
  expect(servers.registry.channel('node-todo', 'next')).toBe('0.4.0');
  // The stable version is the candidate's bytes.
  const stable = (await (await fetch(`${servers.registry.url}/w/node-todo?version=0.4.0`)).json()) as { worker: unknown };
  expect(stable.worker).toMatchObject({ version: '0.4.0', image: 'ghcr.io/iii-hq/node-todo:0.4.0-rc.1' });

  const again = await nx('run', 'node-todo:finalize-release', '--tag=node-todo/v0.4.0', `--apiUrl=${servers.registry.url}`);
  expectSuccess(again);
  expect(again.output).toContain('node-todo 0.4.0 is already final: latest and next point to it (unchanged)');
});

test('finalize-release refuses a tag that is not a stable release before any request', async () => {
  servers.registry.requests.splice(0);
  const run = await nx('run', 'node-todo:finalize-release', '--tag=node-todo/v0.5.0-rc.1', `--apiUrl=${servers.registry.url}`);
  expectFailure(run);
  expect(run.output).toContain('node-todo/v0.5.0-rc.1 is not a stable release tag: finalize-release mints a pure MAJOR.MINOR.PATCH version, got 0.5.0-rc.1');
  expect(servers.registry.requests).toEqual([]);
});
