import { join } from 'node:path';
import { loadExeca } from '../core/load-execa';
import { CALC_BINARY_MANIFEST, CALC_PACKAGE_JSON } from '../executors/test-support/calc-worker';
import { createTempWorkspace, type TempWorkspace } from '../executors/test-support/temp-workspace';

jest.setTimeout(60_000);

const CLI = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');

describe('options that replace manifest keys obey the manifest rules (issue 12 #11)', () => {
  let workspace: TempWorkspace;
  beforeEach(() => {
    workspace = createTempWorkspace({ worker: 'calc', files: { 'package.json': CALC_PACKAGE_JSON, 'iii.worker.yaml': CALC_BINARY_MANIFEST } });
  });
  afterEach(() => workspace.remove());

  const collect = async (args: string[]) => {
    const { execa } = await loadExeca();
    return execa(process.execPath, [CLI, 'collect', 'workers/calc', ...args], { cwd: workspace.root, reject: false, all: true });
  };

  it('--bin ../../usr/bin/id --launch build-output is refused and /usr/bin/id never runs', async () => {
    // target/release/<bin> of workers/calc in /tmp/executor-ws-*: six levels up is the file system root.
    const run = await collect(['--bin', '../../../../../../usr/bin/id', '--launch', 'build-output', '--wait-seconds', '5']);
    expect(run.exitCode).toBe(1);
    expect(run.all).toContain('the `bin` option "../../../../../../usr/bin/id" must be a plain file name');
    expect(run.all).not.toMatch(/uid=\d+/);
    expect(run.all).not.toContain('launch plan: build-output');
  });
});
