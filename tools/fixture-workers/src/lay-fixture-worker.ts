import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_WORKERS, FIXTURE_WORKERS_DIR, type FixtureWorkerName } from './fixture-catalog';

export interface LayFixtureOptions {
  /** The worker's folder, relative to the workspace root. Default `workers/<name>`. */
  projectRoot?: string;
  /**
   * Options per target, merged into the worker's `project.json` (`targets[target].options`), e.g.
   * `{ 'publish-interface': { apiUrl } }`. A project.json named after the fixture is created when it has none.
   */
  targetOptions?: Record<string, Record<string, unknown>>;
}

export interface LaidFixtureWorker {
  name: FixtureWorkerName;
  /** Relative to the workspace root. */
  projectRoot: string;
  /** Absolute. */
  dir: string;
}

/** Copies a fixture worker's files into a workspace (modes kept) and applies the per-target options. */
export function layFixtureWorker(workspaceRoot: string, name: FixtureWorkerName, options: LayFixtureOptions = {}): LaidFixtureWorker {
  if (!(name in FIXTURE_WORKERS)) throw new Error(`unknown fixture worker "${name}"; known: ${Object.keys(FIXTURE_WORKERS).join(', ')}`);
  const projectRoot = options.projectRoot ?? `workers/${name}`;
  const dir = join(workspaceRoot, projectRoot);
  mkdirSync(dir, { recursive: true });
  cpSync(join(FIXTURE_WORKERS_DIR, name), dir, { recursive: true });
  if (options.targetOptions && Object.keys(options.targetOptions).length > 0) {
    mergeTargetOptions(join(dir, 'project.json'), name, options.targetOptions);
  }
  return { name, projectRoot, dir };
}

/** Lays several fixtures under `workers/`, each with its own options. */
export function layFixtureWorkers(
  workspaceRoot: string,
  fixtures: Partial<Record<FixtureWorkerName, LayFixtureOptions>>,
): Record<string, LaidFixtureWorker> {
  return Object.fromEntries(
    Object.entries(fixtures).map(([name, options]) => [name, layFixtureWorker(workspaceRoot, name as FixtureWorkerName, options)]),
  );
}

function mergeTargetOptions(file: string, name: string, targetOptions: Record<string, Record<string, unknown>>): void {
  const project = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { name };
  project.targets ??= {};
  for (const [target, options] of Object.entries(targetOptions)) {
    project.targets[target] ??= {};
    project.targets[target].options = { ...project.targets[target].options, ...options };
  }
  writeFileSync(file, `${JSON.stringify(project, null, 2)}\n`);
}
