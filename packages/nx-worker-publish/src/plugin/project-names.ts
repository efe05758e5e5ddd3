import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Project names other files give (a package.json `nx.name`/`name`, a project.json `name`), mapped to the file that
 * gives it. Nx fails the whole graph when two projects share a name, so a worker folder must not take one of these.
 */
export function namesTakenByProjectFiles(workspaceRoot: string, projectFiles: readonly string[], workerRoots: ReadonlySet<string>): Map<string, string> {
  const taken = new Map<string, string>();
  for (const file of projectFiles) {
    if (workerRoots.has(dirname(file))) continue; // a worker's own project file names the worker itself
    const name = projectNameIn(join(workspaceRoot, file), file.endsWith('package.json'));
    if (name && !taken.has(name)) taken.set(name, file);
  }
  return taken;
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
