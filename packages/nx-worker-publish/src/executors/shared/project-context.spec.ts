import type { ExecutorContext } from '@nx/devkit';
import { ExecutorInputError } from './executor-input-error';
import { locateProject, resolveWorkspacePath } from './project-context';

const context = (overrides: Partial<ExecutorContext>): ExecutorContext => ({
  root: '/ws',
  cwd: '/ws',
  isVerbose: false,
  projectName: 'calc',
  projectGraph: { nodes: { calc: { name: 'calc', type: 'lib', data: { root: 'workers/calc' } } }, dependencies: {} },
  projectsConfigurations: { version: 2, projects: { calc: { root: 'workers/calc-from-config' } } },
  nxJsonConfiguration: {},
  ...overrides,
});

describe('locateProject', () => {
  it('reads the project root from the project graph', () => {
    expect(locateProject(context({}))).toEqual({ workspaceRoot: '/ws', projectName: 'calc', projectRoot: 'workers/calc' });
  });

  it('falls back to the project configurations', () => {
    const location = locateProject(context({ projectGraph: { nodes: {}, dependencies: {} } }));
    expect(location.projectRoot).toBe('workers/calc-from-config');
  });

  it('asks to be run as a project target when there is no project', () => {
    expect(() => locateProject(context({ projectName: undefined }))).toThrow(ExecutorInputError);
    expect(() => locateProject(context({ projectName: 'other' }))).toThrow(/must run as a project target/);
  });
});

describe('resolveWorkspacePath', () => {
  const location = { workspaceRoot: '/ws', projectName: 'calc', projectRoot: 'workers/calc' };

  it.each([
    ['dist/{projectRoot}/worker-interface.json', '/ws/dist/workers/calc/worker-interface.json'],
    ['{workspaceRoot}/out/{projectName}.json', '/ws/out/calc.json'],
    ['/abs/file.json', '/abs/file.json'],
    ['{projectRoot}/../shared/x', '/ws/workers/shared/x'],
  ])('%s → %s', (path, expected) => {
    expect(resolveWorkspacePath(location, path)).toBe(expected);
  });
});
