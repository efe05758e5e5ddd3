import type { ExecutorContext } from '@nx/devkit';
import { timedStep } from '../../core/reporter/step-reporter';
import { taskGraphOf } from '../test-support/task-graph';
import { batchConcurrency, runBatch } from './run-batch';

const context = (parallel?: number): ExecutorContext =>
  ({ root: '/ws', cwd: '/ws', isVerbose: false, nxJsonConfiguration: parallel === undefined ? {} : { parallel }, projectsConfigurations: { version: 2, projects: {} } }) as unknown as ExecutorContext;

describe('batchConcurrency', () => {
  it('takes NX_PARALLEL first, then nx.json parallel, then 4 per core', () => {
    expect(batchConcurrency(context(3), { NX_PARALLEL: '6' })).toBe(6);
    expect(batchConcurrency(context(3), {})).toBe(3);
    expect(batchConcurrency(context(), { NX_PARALLEL: 'lots' })).toBeGreaterThanOrEqual(4);
  });
});

describe('runBatch', () => {
  it('runs at most the limit at once, starts the next as one finishes, and yields every result with its own output', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => `w${i}:collect-interface`);
    const inputs = Object.fromEntries(ids.map((id, i) => [id, { delayMs: 5 + ((i * 7) % 4) * 5, fail: i === 3 }]));
    let running = 0;
    let peak = 0;
    const previous = process.env.NX_PARALLEL;
    process.env.NX_PARALLEL = '3';
    try {
      const results = [];
      for await (const result of runBatch(taskGraphOf(ids), inputs, {}, context(), async (options, target, reporter) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        reporter.info(`ran ${target.label}`);
        running--;
        return !options.fail;
      })) {
        results.push(result);
      }
      expect(peak).toBe(3);
      expect(results.map((r) => r.task).sort()).toEqual([...ids].sort());
      expect(results.find((r) => r.task === 'w3:collect-interface')?.result.success).toBe(false);
      expect(results.filter((r) => r.result.success)).toHaveLength(6);
      for (const r of results) expect(r.result.terminalOutput).toContain(`ran ${r.task.split(':')[0]}`);
    } finally {
      if (previous === undefined) delete process.env.NX_PARALLEL;
      else process.env.NX_PARALLEL = previous;
    }
  });

  it('shows progress and warnings while a task runs, before its result (issue 19 #5); the result keeps the warning, not the progress', async () => {
    const ids = ['skills:collect-interface', 'todo:collect-interface'];
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    let finish!: () => void;
    const slowStep = new Promise<void>((resolve) => (finish = resolve));
    try {
      const batch = runBatch(taskGraphOf(ids), { [ids[0]]: {}, [ids[1]]: {} }, {}, context(), async (_options, target, reporter) => {
        if (target.label !== 'skills') return true;
        reporter.warn('⚠ cargo run compiles the worker first');
        await timedStep(reporter, {}, 'worker_boot', () => slowStep, () => 'worker registered', 'compiling the worker with cargo');
        return true;
      });
      const first = await batch.next();
      expect(first.value!.task).toBe('todo:collect-interface');
      // skills is still compiling: its lines are out already.
      expect(written).toEqual(['skills: ⚠ cargo run compiles the worker first\n', 'skills: … compiling the worker with cargo\n']);
      finish();
      const second = await batch.next();
      expect(second.value!.task).toBe('skills:collect-interface');
      expect(second.value!.result.terminalOutput).toMatch(/^⚠ cargo run compiles the worker first\n✔ worker registered \([\d.]+ m?s\)\n$/);
    } finally {
      write.mockRestore();
    }
  });
  it('prints a warning that no slow step follows once, in the result, not live as well', async () => {
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      const batch = runBatch(taskGraphOf(['todo:publish-interface']), { 'todo:publish-interface': {} }, {}, context(), async (_options, _target, reporter) => {
        reporter.warn('⚠ registry not reachable');
        reporter.info('✔ dry run');
        return true;
      });
      const only = await batch.next();
      expect(written).toEqual([]);
      expect(only.value!.result.terminalOutput).toBe('⚠ registry not reachable\n✔ dry run\n');
    } finally {
      write.mockRestore();
    }
  });
});
