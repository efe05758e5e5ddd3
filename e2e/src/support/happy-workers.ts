import { execFileSync } from 'node:child_process';
import { layFixtureWorkers, type FixtureWorkerName, type LayFixtureOptions } from '../../../tools/fixture-workers/src';
import { E2E_REPO, type E2eServers } from './e2e-servers';
import type { NxWorkspace } from './nx-workspace';

export const HAPPY_WORKERS = ['node-todo', 'kebab-db', 'release-echo', 'built-greeter'] as const;
export type HappyWorker = (typeof HAPPY_WORKERS)[number];

/**
 * The project.json options a user of each fixture would write: the registry URL, the repository, the image tag of
 * image workers; release-echo always runs its release (tag given to collection), built-greeter its build output and,
 * only when a tag is passed, its release (found through a repoUrl on the release server).
 */
export function happyWorkerOptions(servers: E2eServers): Record<HappyWorker, LayFixtureOptions> {
  const apiUrl = servers.registry.url;
  return {
    'node-todo': { targetOptions: { 'publish-interface': { apiUrl, repoUrl: E2E_REPO.url, imageTag: 'ghcr.io/iii-hq/node-todo:0.3.0' } } },
    'kebab-db': { targetOptions: { 'publish-interface': { apiUrl, repoUrl: E2E_REPO.url, imageTag: 'ghcr.io/iii-hq/kebab-db:1.0.3' } } },
    'release-echo': {
      targetOptions: {
        'collect-interface': { tag: 'release-echo/v1.2.0', releaseBaseUrl: servers.releaseBaseUrl },
        'publish-interface': { apiUrl, repoUrl: E2E_REPO.url, releaseBaseUrl: servers.releaseBaseUrl },
      },
    },
    'built-greeter': {
      targetOptions: {
        'collect-interface': { repoUrl: servers.localRepoUrl },
        'publish-interface': { apiUrl, repoUrl: servers.localRepoUrl },
      },
    },
  };
}

/**
 * built-greeter's collection told to run its build output: a binary release publish then ships the local build's
 * interface on purpose (with a warning); without it, publish refuses an interface the release did not register.
 */
export const PUBLISH_LOCAL_BUILD = { 'built-greeter': { launch: 'build-output' } };

/** Lays the chosen happy-path fixtures into the workspace with their options (`collectOptions` added per worker). */
export function layHappyWorkers(
  workspace: NxWorkspace,
  servers: E2eServers,
  workers: readonly HappyWorker[] = HAPPY_WORKERS,
  collectOptions: Partial<Record<HappyWorker, Record<string, unknown>>> = {},
): void {
  const options = happyWorkerOptions(servers);
  for (const [worker, extra] of Object.entries(collectOptions) as Array<[HappyWorker, Record<string, unknown>]>) {
    const targets = options[worker].targetOptions ?? {};
    options[worker] = { ...options[worker], targetOptions: { ...targets, 'collect-interface': { ...targets['collect-interface'], ...extra } } };
  }
  layFixtureWorkers(workspace.root, Object.fromEntries(workers.map((worker) => [worker, options[worker]])) as Partial<Record<FixtureWorkerName, LayFixtureOptions>>);
}

/** Where the plugin writes a worker's interface and payload (workspace-relative). */
export const interfaceFile = (worker: string) => `dist/workers/${worker}/worker-interface.json`;
export const payloadFile = (worker: string) => `dist/workers/${worker}/publish-payload.json`;

/** "Compiles" built-greeter into workers/built-greeter/target/release with this greeting, outside Nx, as a local build would. */
export function buildBuiltGreeterLocally(workspace: NxWorkspace, greeting: string): void {
  workspace.write('fixture-shared/greeting.txt', `${greeting}\n`);
  execFileSync(process.execPath, ['build.js'], { cwd: workspace.path('workers/built-greeter'), env: { ...process.env, NXWP_E2E_MARKER_DIR: '' } });
}

/** The greeting built-greeter's interface carries (its one function's description). */
export const builtGreeterDescription = (interfaceText: string) => (JSON.parse(interfaceText).functions as Array<{ description: string }>)[0].description;
