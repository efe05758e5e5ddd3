// Nx loads the plugin from here (`"plugins": ["nx-worker-publish"]` in nx.json).
export { createNodes, createNodesV2 } from './plugin/create-nodes';
export type { WorkerPublishPluginOptions } from './plugin/plugin-options';

// The runner-agnostic core, for scripts and other task runners.
export { collectWorkerInterface, type CollectRequest, type CollectResult } from './core/collect/collect-worker-interface';
export { InterfaceCollector } from './core/collector/interface-collector';
export { connectEngine, EngineInvocationError } from './core/engine-client/engine-client';
export { startEmbeddedEngine } from './core/engine/embedded-engine';
export { serializeInterface, type WorkerInterface } from './core/interface/worker-interface';
export { buildPublishPayload, serializePayload } from './core/payload';
export { publishToRegistry } from './core/registry';
