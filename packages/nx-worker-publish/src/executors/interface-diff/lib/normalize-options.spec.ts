import { createTempWorkspace, type TempWorkspace } from '../../test-support/temp-workspace';
import { normalizeDiffOptions } from './normalize-options';

let workspace: TempWorkspace;

beforeEach(() => {
  workspace = createTempWorkspace({
    worker: 'todo',
    files: { 'iii.worker.yaml': 'iii: v1\nname: todo\nlanguage: node\ndeploy: image\nmanifest: package.json\n', 'package.json': '{"name":"todo","version":"0.3.1"}\n' },
  });
});
afterEach(() => workspace.remove());

const location = () => ({ workspaceRoot: workspace.root, projectName: 'todo', projectRoot: workspace.projectRoot });

describe('normalizeDiffOptions', () => {
  test('the version under review is the language manifest\'s; the reports sit beside the interface', () => {
    const resolved = normalizeDiffOptions({}, location(), undefined, {});
    expect(resolved).toMatchObject({ worker: 'todo', version: '0.3.1', reference: 'auto', registryTag: 'latest', interfacePath: 'dist/workers/todo/worker-interface.json' });
    expect(resolved.markdownFile).toBe(`${workspace.root}/dist/workers/todo/interface-diff.md`);
    expect(resolved.jsonFile).toBe(`${workspace.root}/dist/workers/todo/interface-diff.json`);
  });

  test.each([
    [{ NX_BASE: 'HEAD~3', GITHUB_BASE_REF: 'main' }, { defaultBase: 'trunk' }, 'HEAD~3'],
    [{ GITHUB_BASE_REF: 'release' }, { defaultBase: 'trunk' }, 'origin/release'],
    [{}, { defaultBase: 'trunk' }, 'trunk'],
    [{}, { affected: { defaultBase: 'develop' } }, 'develop'],
    [{}, undefined, 'main'],
  ])('the base: env %j, nx.json %j → %s', (env, nxJson, base) => {
    expect(normalizeDiffOptions({}, location(), nxJson, env).base).toBe(base);
    expect(normalizeDiffOptions({ base: 'explicit' }, location(), nxJson, env).base).toBe('explicit');
  });

  test('an unknown reference or a non-positive timeout is refused, naming the option', () => {
    expect(() => normalizeDiffOptions({ reference: 'tag' as never }, location(), undefined, {})).toThrow('`reference` must be one of auto, registry, base, got "tag"');
    expect(() => normalizeDiffOptions({ registryTimeoutSeconds: 0 }, location(), undefined, {})).toThrow('the `registryTimeoutSeconds` option must be a number greater than 0, got 0');
    // As Nx's command-line parser delivers them: `--registryTimeoutSeconds=abc` as text, `--allowBreakingChanges=true` as text.
    expect(() => normalizeDiffOptions({ registryTimeoutSeconds: 'abc' as never }, location(), undefined, {})).toThrow(
      'the `registryTimeoutSeconds` option must be a number greater than 0, got "abc"',
    );
    expect(normalizeDiffOptions({ allowBreakingChanges: 'true' as never, version: 1.1 as never }, location(), undefined, {})).toMatchObject({ allowBreakingChanges: true });
  });
});
