import type { Tree } from '@nx/devkit';
import { devkit } from '../../plugin/devkit';
import type { InitGeneratorSchema } from './schema';

export const PLUGIN_NAME = 'nx-worker-publish';

/**
 * Adds the plugin to nx.json `plugins`; idempotent, and keeps other plugins and their options untouched. A repository
 * without nx.json (one that is not an Nx workspace yet) gets one that registers the plugin.
 */
export async function initGenerator(tree: Tree, options: InitGeneratorSchema = {}): Promise<void> {
  const { readNxJson, updateNxJson, formatFiles } = devkit();
  if (!tree.exists('nx.json')) {
    tree.write('nx.json', `${JSON.stringify({ plugins: [PLUGIN_NAME] }, null, 2)}\n`);
    if (!options.skipFormat && formatFiles) await formatFiles(tree);
    return;
  }
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const registered = plugins.some((entry) => (typeof entry === 'string' ? entry : entry.plugin) === PLUGIN_NAME);
  if (!registered) {
    nxJson.plugins = [...plugins, PLUGIN_NAME];
    updateNxJson(tree, nxJson);
  }
  if (!options.skipFormat && formatFiles) await formatFiles(tree);
}

export default initGenerator;
