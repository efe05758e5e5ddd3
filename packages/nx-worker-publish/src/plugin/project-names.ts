import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Project names other files give (a package.json `nx.name`/`name`, a project.json `name`), mapped to the file that
 * gives it. Nx fails the whole graph when two projects share a name, so a worker folder must not take one of these.
 */
export function namesTakenByProjectFiles(workspaceRoot: string, projectFiles: readonly string[], workerRoots: ReadonlySet<string>): Map<string, string> {
  const taken = new Map<string, string>();
  const isProject = packageJsonIsProject(workspaceRoot, projectFiles);
  for (const file of projectFiles) {
    if (workerRoots.has(dirname(file))) continue; // a worker's own project file names the worker itself
    if (file.endsWith('package.json') && !isProject(file)) continue;
    const name = projectNameIn(join(workspaceRoot, file), file.endsWith('package.json'));
    if (name && !taken.has(name)) taken.set(name, file);
  }
  return taken;
}

/**
 * Whether Nx makes a project of a package.json (nx/src/plugins/package-json/create-nodes.js, Nx 22.7 and 24.0): one
 * the package manager's workspaces list, one beside a project.json, or any with NX_INFER_ALL_PACKAGE_JSONS=true
 * and no root package.json. Without a workspaces list (the workers repository has no root package.json at all) the
 * others are no projects and their names are free. With one, every package.json counts (its globs are not matched
 * here): at worst a worker is renamed when it need not be, never given a name Nx already gave.
 */
function packageJsonIsProject(workspaceRoot: string, projectFiles: readonly string[]): (file: string) => boolean {
  const rootPackageJson = readJsonObject(join(workspaceRoot, 'package.json'));
  if (process.env.NX_INFER_ALL_PACKAGE_JSONS === 'true' && !rootPackageJson) return () => true;
  const hasWorkspaces =
    rootPackageJson?.workspaces !== undefined || existsSync(join(workspaceRoot, 'pnpm-workspace.yaml')) || existsSync(join(workspaceRoot, 'lerna.json'));
  if (hasWorkspaces) return () => true;
  const projectJsonFolders = new Set(projectFiles.filter((file) => file.endsWith('project.json')).map((file) => dirname(file)));
  return (file) => file === 'package.json' || projectJsonFolders.has(dirname(file));
}

function readJsonObject(path: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const json = JSON.parse(readFileSync(path, 'utf8'));
    return json && typeof json === 'object' ? json : {};
  } catch {
    return {}; // Nx reports a broken root package.json itself
  }
}

function projectNameIn(path: string, isPackageJson: boolean): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const json = JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown; nx?: { name?: unknown } };
    const name = isPackageJson ? (json.nx?.name ?? json.name) : json.name;
    return typeof name === 'string' && name ? name : undefined;
  } catch {
    return undefined; // Nx reports a broken project file itself
  }
}

export interface ChosenName {
  name: string;
  /** Set when the folder's name was taken: which file holds it, for the warning. */
  collidesWith?: string;
}

/**
 * The folder's name, unless another project holds it; then the `name` of iii.worker.yaml, else `<folder>-worker`.
 * `used` holds the names already given in this pass (two worker folders with the same name).
 */
export function chooseProjectName(folderName: string, manifestName: string | undefined, taken: ReadonlyMap<string, string>, used: Set<string>): ChosenName {
  const holder = (name: string) => taken.get(name) ?? (used.has(name) ? 'another worker folder' : undefined);
  const collidesWith = holder(folderName);
  const name = [folderName, manifestName, `${folderName}-worker`].find((candidate) => candidate && !holder(candidate)) ?? folderName;
  used.add(name);
  return collidesWith ? { name, collidesWith } : { name };
}
