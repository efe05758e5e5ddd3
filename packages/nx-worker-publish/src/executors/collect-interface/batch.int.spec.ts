import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { serializeInterface } from '../../core/interface/worker-interface';
import { CALC_IMAGE_MANIFEST, CALC_INTERFACE, CALC_PACKAGE_JSON, CALC_START_SCRIPT } from '../test-support/calc-worker';
import { isolateEnv } from '../test-support/isolated-env';
import { processesRunningIn } from '../test-support/leftover-processes';
import { createTempWorkspace, type TempWorkspace } from '../test-support/temp-workspace';
import collectInterfaceBatch from './batch';

jest.setTimeout(60_000);

describe('collect-interface batch implementation (one process, several collections)', () => {
  let restoreEnv: () => void;
  let workspace: TempWorkspace;

  beforeEach(() => {
    restoreEnv = isolateEnv();
    workspace = createTempWorkspace({
      worker: 'calc',
      files: { 'package.json': CALC_PACKAGE_JSON, 'iii.worker.yaml': CALC_IMAGE_MANIFEST, 'worker.js': CALC_START_SCRIPT },
    });
    workspace.writeFile('workers/broken/iii.worker.yaml', 'deploy: lambda\n');
  });
  afterEach(() => {
    restoreEnv();
    workspace.remove();
  });

  it('runs each task with its own output and result, reported as it finishes', async () => {
    const projects = {
      calc: { name: 'calc', root: 'workers/calc', targets: {} },
      broken: { name: 'broken', root: 'workers/broken', targets: {} },
    };
    const task = (project: string) => ({
      id: `${project}:collect-interface`,
      target: { project, target: 'collect-interface' },
      overrides: {},
      outputs: [],
      projectRoot: projects[project as keyof typeof projects].root,
      parallelism: true,
    });
    const taskGraph = {
      roots: ['calc:collect-interface', 'broken:collect-interface'],
      tasks: { 'calc:collect-interface': task('calc'), 'broken:collect-interface': task('broken') },
      dependencies: { 'calc:collect-interface': [], 'broken:collect-interface': [] },
      continuousDependencies: {},
    } as unknown as TaskGraph;
    const context = {
      root: workspace.root,
      cwd: workspace.root,
      isVerbose: false,
      projectGraph: {
        nodes: Object.fromEntries(Object.entries(projects).map(([name, data]) => [name, { name, type: 'lib', data }])),
        dependencies: { calc: [], broken: [] },
      },
      projectsConfigurations: { version: 2, projects },
      nxJsonConfiguration: {},
      taskGraph,
    } as unknown as ExecutorContext;

    const results = [];
    for await (const result of collectInterfaceBatch(taskGraph, { 'calc:collect-interface': {}, 'broken:collect-interface': {} }, {}, context)) {
      results.push(result);
    }

    // The broken manifest fails at once, while calc's worker is still starting.
    expect(results.map((r) => r.task)).toEqual(['broken:collect-interface', 'calc:collect-interface']);
    const [broken, calc] = results.map((r) => r.result);
    expect(broken.success).toBe(false);
    expect(broken.terminalOutput).toMatch(/could not collect the interface of broken: .*workers\/broken\/iii\.worker\.yaml/);
    expect(broken.terminalOutput).not.toContain('calc');
    expect(calc.success).toBe(true);
    expect(calc.terminalOutput).toMatch(/^✔ interface written: 2 functions, 1 trigger → dist\/workers\/calc\/worker-interface\.json/m);
    expect(calc.terminalOutput).not.toContain('broken');
    expect(calc.endTime).toBeGreaterThanOrEqual(calc.startTime);
    expect(workspace.readFile('dist/workers/calc/worker-interface.json')).toBe(serializeInterface(CALC_INTERFACE, { launch: 'start-script', forced: false }));
    expect(processesRunningIn(workspace.root)).toEqual([]);
  });
});
