/** Options of the plugin entry in nx.json (`{"plugin": "nx-worker-publish", "options": {...}}`). */
export interface WorkerPublishPluginOptions {
  /** Name of the inferred collection target. Default `collect-interface`. */
  collectTargetName?: string;
  /** Name of the inferred publish target. Default `publish-interface`. */
  publishTargetName?: string;
  /** Name of the inferred interface comparison target. Default `interface-diff`. */
  diffTargetName?: string;
  /** The project's build target that produces the worker binary. Default `build`. */
  buildTargetName?: string;
  /** Defaults for any `collect-interface` option, for every worker (project.json and the CLI still win). */
  collectOptions?: Record<string, unknown>;
  /** Defaults for any `publish-interface` option, for every worker. */
  publishOptions?: Record<string, unknown>;
  /** Defaults for any `interface-diff` option, for every worker (`apiUrl` defaults to publishOptions' `apiUrl`). */
  diffOptions?: Record<string, unknown>;
}

export interface NormalizedPluginOptions {
  collectTargetName: string;
  publishTargetName: string;
  diffTargetName: string;
  buildTargetName: string;
  collectOptions: Record<string, unknown>;
  publishOptions: Record<string, unknown>;
  diffOptions: Record<string, unknown>;
}

export function normalizePluginOptions(options: WorkerPublishPluginOptions | undefined): NormalizedPluginOptions {
  return {
    collectTargetName: options?.collectTargetName ?? 'collect-interface',
    publishTargetName: options?.publishTargetName ?? 'publish-interface',
    diffTargetName: options?.diffTargetName ?? 'interface-diff',
    buildTargetName: options?.buildTargetName ?? 'build',
    collectOptions: options?.collectOptions ?? {},
    publishOptions: options?.publishOptions ?? {},
    diffOptions: options?.diffOptions ?? {},
  };
}
