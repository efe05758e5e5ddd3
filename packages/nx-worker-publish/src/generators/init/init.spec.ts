import { readNxJson, updateNxJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { initGenerator } from './init';

describe('init generator', () => {
  it('adds the plugin to nx.json', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins).toContain('nx-worker-publish');
  });

  it('is idempotent and keeps existing plugins and their options', async () => {
    const tree = createTreeWithEmptyWorkspace();
    const existing = { plugin: '@nx/js/typescript', options: { typecheck: { targetName: 'typecheck' } } };
    updateNxJson(tree, { ...readNxJson(tree), plugins: [existing, { plugin: 'nx-worker-publish', options: { collectTargetName: 'collect' } }] });
    await initGenerator(tree, { skipFormat: true });
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins).toEqual([existing, { plugin: 'nx-worker-publish', options: { collectTargetName: 'collect' } }]);
  });

  it('adds the plugin once when run twice on a fresh workspace', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await initGenerator(tree, { skipFormat: true });
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins?.filter((p) => p === 'nx-worker-publish')).toHaveLength(1);
  });
});
