import type { GeneratorCallback, Tree } from '@nx/devkit';
import { execSync } from 'node:child_process';
import { join, posix, relative } from 'node:path';
import { resolveRepoUrl } from '../../core/release-info';
import { devkit } from '../../plugin/devkit';
import { initGenerator } from '../init/init';
import { III_SDK_RANGE, workerFiles } from './worker-files';
import type { WorkerGeneratorSchema } from './schema';

/** Used when the workspace has no git remote yet: publishing shows it, so the README says to replace it. */
const PLACEHOLDER_REPO_URL = 'https://github.com/your-org/your-repo';

/**
 * `nx g nx-worker-publish:worker <name>`: a worker folder that collect-interface and publish-interface:dry-run accept
 * as they are, and the plugin registered in nx.json.
 */
export async function workerGenerator(tree: Tree, options: WorkerGeneratorSchema): Promise<GeneratorCallback | void> {
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
  // The worker's package.json is not necessarily a workspace package: the SDK it requires goes to the root one too.
  if ((options.language ?? 'javascript') === 'javascript' && addRootDevDependency(tree, 'iii-sdk', III_SDK_RANGE) && !options.skipInstall) {
    return () => installPackages(tree.root);
  }
}

/** Adds a devDependency to the workspace's package.json unless it already depends on it; true when it was added. */
function addRootDevDependency(tree: Tree, name: string, range: string): boolean {
  if (!tree.exists('package.json')) return false;
  const manifest = JSON.parse(tree.read('package.json', 'utf-8') ?? '{}');
  if (manifest.dependencies?.[name] || manifest.devDependencies?.[name]) return false;
  manifest.devDependencies = { ...manifest.devDependencies, [name]: range };
  tree.write('package.json', `${JSON.stringify(manifest, null, 2)}\n`);
  return true;
}

function installPackages(workspaceRoot: string): void {
  const { getPackageManagerCommand } = devkit();
  execSync(getPackageManagerCommand().install, { cwd: workspaceRoot, stdio: 'inherit', windowsHide: true });
}

export default workerGenerator;
