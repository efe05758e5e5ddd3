import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the worker folder's own project files say: whether something else names the project, and its targets. */
export interface ProjectFiles {
  /** A project.json or package.json exists: that file (through Nx or its plugin) names the project. */
  namedElsewhere: boolean;
  /** Target names declared in project.json `targets` or package.json `scripts` / `nx.targets`. */
  declaredTargets: Set<string>;
  /** npm packages the worker's own package.json depends on (what a Node worker loads at run time). */
  dependencies: string[];
}

function readJson(file: string): Record<string, any> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {}; // Nx itself reports a broken project file; here it only means "named elsewhere, no known targets"
  }
}

export function readProjectFiles(workspaceRoot: string, projectRoot: string): ProjectFiles {
  const projectJson = readJson(join(workspaceRoot, projectRoot, 'project.json'));
  const packageJson = readJson(join(workspaceRoot, projectRoot, 'package.json'));
  const declaredTargets = new Set<string>([
    ...Object.keys(projectJson?.targets ?? {}),
    ...Object.keys(packageJson?.scripts ?? {}),
    ...Object.keys(packageJson?.nx?.targets ?? {}),
  ]);
  const dependencies = Object.keys({ ...packageJson?.dependencies, ...packageJson?.optionalDependencies }).sort();
  return { namedElsewhere: projectJson !== undefined || packageJson !== undefined, declaredTargets, dependencies };
}
