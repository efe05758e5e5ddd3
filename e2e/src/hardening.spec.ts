// Issue 12 through the real nx CLI: a killed nx leaves nothing running, a hostile manifest breaks only its project.
import { findFixtureProcesses, findProcessesOfRun, fixturesThat, layFixtureWorkers, processesRemaining } from '../../tools/fixture-workers/src';
import { expectFailure, expectSuccess, STACK_TRACE } from './support/expect-run';
import { failureParagraph } from './support/nx-output';
import { NxWorkspace } from './support/nx-workspace';

jest.setTimeout(180_000);

let workspace: NxWorkspace;

/** A "billion laughs" YAML document: 13 levels of 9 aliases each. */
function aliasBomb(): string {
  let text = 'iii: v1\ndeploy: image\na: &a [x, x, x, x, x, x, x, x, x]\n';
  for (let level = 0, previous = 'a'; level < 12; previous = `l${level}`, level++) {
    text += `l${level}: &l${level} [${Array(9).fill(`*${previous}`).join(', ')}]\n`;
  }
  return text;
}

beforeAll(() => {
  workspace = NxWorkspace.create({ label: 'hardening' });
  layFixtureWorkers(workspace.root, { 'never-registers': {} });
  workspace.write('workers/bomb/iii.worker.yaml', aliasBomb());
  workspace.commitAll('a waiting worker and an alias bomb');
});

afterAll(() => workspace?.dispose());

type Running = { pid: number; signalGroup(signal: NodeJS.Signals): void };
const killMain = (running: Running) => process.kill(running.pid, 'SIGKILL');
const killGroup = (running: Running) => running.signalGroup('SIGKILL');
const RUN = ['run', 'never-registers:collect-interface', '--waitSeconds=100', '--skip-nx-cache'];
// run-many goes through the batch executor (preferBatch): one Nx batch process runs the collections.
const RUN_MANY = ['run-many', '-t', 'collect-interface', '-p', 'never-registers', '--waitSeconds=100', '--skip-nx-cache'];

test.each([
  ['nx run', 'only its main process', RUN, killMain],
  ['nx run', 'its whole process group', RUN, killGroup],
  ['nx run-many (batch)', 'only its main process', RUN_MANY, killMain],
])('%s, SIGKILL of %s while the worker waits: the task process, the worker and its tree all go (#4)', async (_command, _what, args, kill) => {
  workspace.clearMarkers();
  const running = workspace.startNx(args, { timeoutMs: 90_000 });
  await running.waitUntil(() => fixturesThat(workspace.markerDir, 'started').includes('never-registers'));
  expect(findFixtureProcesses({ under: workspace.root, fixture: 'never-registers' })).toHaveLength(1);
  kill(running);
  const run = await running.result;
  expect(run.signal).toBe('SIGKILL');
  // Every process of the run (the Nx task or batch process included) inherited the run id: none may outlive nx.
  expect(await processesRemaining(() => findProcessesOfRun(run.runId), 10_000)).toEqual([]);
  expect(await processesRemaining(() => findFixtureProcesses({ under: workspace.root }))).toEqual([]);
});

test('an alias bomb breaks only its own project; running it names the file (#8)', async () => {
  const show = await workspace.nx(['show', 'projects']);
  expectSuccess(show);
  expect(show.output).toMatch(/^bomb$/m);
  expect(show.output).toMatch(/^never-registers$/m);

  const run = await workspace.nx(['run', 'bomb:collect-interface']);
  expectFailure(run);
  expect(run.output).not.toMatch(STACK_TRACE);
  const paragraph = failureParagraph(run.output);
  expect(paragraph).toContain(`${workspace.path('workers/bomb/iii.worker.yaml')} cannot be read: Excessive alias count`);
});
