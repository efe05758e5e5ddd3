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

  it('creates nx.json with the plugin registered where there is none (issue 19 #9)', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.delete('nx.json');
    await initGenerator(tree, { skipFormat: true });
    expect(JSON.parse(tree.read('nx.json', 'utf-8')!)).toEqual({ plugins: ['nx-worker-publish'] });
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins).toEqual(['nx-worker-publish']);
  });

  it('adds the plugin once when run twice on a fresh workspace', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await initGenerator(tree, { skipFormat: true });
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins?.filter((p) => p === 'nx-worker-publish')).toHaveLength(1);
  });
});
