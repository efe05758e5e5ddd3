import type { Tree } from '@nx/devkit';
import { join, posix, relative } from 'node:path';
import { resolveRepoUrl } from '../../core/release-info';
import { devkit } from '../../plugin/devkit';
import { initGenerator } from '../init/init';
import { workerFiles } from './worker-files';
import type { WorkerGeneratorSchema } from './schema';

/** Used when the workspace has no git remote yet: publishing shows it, so the README says to replace it. */
const PLACEHOLDER_REPO_URL = 'https://github.com/your-org/your-repo';

/**
 * `nx g nx-worker-publish:worker <name>`: a worker folder that collect-interface and publish-interface:dry-run accept
 * as they are, and the plugin registered in nx.json.
 */
export async function workerGenerator(tree: Tree, options: WorkerGeneratorSchema): Promise<void> {
  if (!/^[a-z][a-z0-9-]*$/.test(options.name ?? '')) {
    throw new Error(`The worker name "${options.name}" must be lower-case letters, digits and dashes, starting with a letter (it becomes the registry name).`);
  }
  const directory = posix.normalize((options.directory ?? `workers/${options.name}`).replace(/\\/g, '/')).replace(/\/$/, '');
  if (tree.exists(posix.join(directory, 'iii.worker.yaml'))) {
    throw new Error(`${directory}/iii.worker.yaml already exists: pick another --directory or name, or edit that worker.`);
  }
  const repoUrl = options.repoUrl ?? (await resolveRepoUrl({ cwd: tree.root, env: process.env }).catch(() => PLACEHOLDER_REPO_URL));
  const files = workerFiles({
    name: options.name,
    directory,
    deploy: options.deploy ?? 'image',
    language: options.language ?? 'javascript',
    repoUrl,
    offsetToRoot: `${relative(join(tree.root, directory), tree.root).split('\\').join('/')}/`,
  });
  for (const [path, content] of Object.entries(files)) tree.write(posix.join(directory, path), content);
  await initGenerator(tree, { skipFormat: true });
  const { formatFiles } = devkit();
  if (!options.skipFormat && formatFiles) await formatFiles(tree);
}

export default workerGenerator;
