import type { ExecutorContext } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const PUBLISH_EXECUTOR = 'nx-worker-publish:publish-interface';
const PLUGIN_NAME = 'nx-worker-publish';

type Options = Record<string, unknown> | undefined;
const keyOf = (options: Options): string[] => (typeof options?.apiKeyEnv === 'string' ? [options.apiKeyEnv] : []);

/**
 * The `apiKeyEnv` of every publish target in the workspace: project targets (inferred ones carry the plugin's
 * `publishOptions`), their configurations, `targetDefaults` and the plugin entries of nx.json. Collection withholds
 * all of them, not only its own project's: any of these variables may hold a registry key this run can see.
 */
export function workspaceApiKeyEnvs(context: Pick<ExecutorContext, 'projectGraph' | 'projectsConfigurations' | 'nxJsonConfiguration'>): string[] {
  const names = new Set<string>();
  const add = (options: Options) => keyOf(options).forEach((name) => names.add(name));
  const projects = [
    ...Object.values(context.projectGraph?.nodes ?? {}).map((node) => node.data),
    ...Object.values(context.projectsConfigurations?.projects ?? {}),
  ];
  for (const project of projects) {
    for (const target of Object.values(project?.targets ?? {})) {
      if (target?.executor !== PUBLISH_EXECUTOR) continue;
      add(target.options);
      for (const configuration of Object.values(target.configurations ?? {})) add(configuration);
    }
  }
  const nxJson = context.nxJsonConfiguration;
  for (const [key, defaults] of Object.entries(nxJson?.targetDefaults ?? {})) {
    if (key === PUBLISH_EXECUTOR || defaults?.executor === PUBLISH_EXECUTOR || key === 'publish-interface') add(defaults?.options);
  }
  for (const plugin of nxJson?.plugins ?? []) {
    if (typeof plugin === 'object' && plugin.plugin === PLUGIN_NAME) add((plugin.options as Options)?.publishOptions as Options);
  }
  return [...names].sort();
}

/**
 * The same names without Nx running (the `worker-publish` CLI): read from the workspace's nx.json and the worker's
 * project.json, when they exist. Other projects' project.json files are not scanned.
 */
export function apiKeyEnvsFromFiles(workspaceRoot: string, projectRoot: string): string[] {
  const readJson = (file: string): Record<string, any> | undefined => {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return undefined;
    }
  };
  const project = readJson(join(workspaceRoot, projectRoot, 'project.json'));
  return workspaceApiKeyEnvs({
    nxJsonConfiguration: readJson(join(workspaceRoot, 'nx.json')),
    projectsConfigurations: project ? { version: 2, projects: { [projectRoot]: { root: projectRoot, ...project } } } : undefined,
  } as Pick<ExecutorContext, 'projectGraph' | 'projectsConfigurations' | 'nxJsonConfiguration'>);
}
