// Nx loads the plugin from here (`"plugins": ["nx-worker-publish"]` in nx.json); the core API is `nx-worker-publish/core`.
export { createNodes, createNodesV2 } from './plugin/create-nodes';
export { createDependencies } from './plugin/create-dependencies';
export type { WorkerPublishPluginOptions } from './plugin/plugin-options';
