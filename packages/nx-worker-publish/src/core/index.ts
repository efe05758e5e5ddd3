// `nx-worker-publish/core`: the runner-agnostic API, for scripts and other task runners. Kept out of the main entry
// so that Nx, which loads the main entry on every command, does not load the engine and HTTP stack with it.
export { collectWorkerInterface, type CollectRequest, type CollectResult } from './collect/collect-worker-interface';
export { InterfaceCollector, WorkerWaitError, type SettledWorker, type WaitOptions } from './collector/interface-collector';
export { RegistrationRejectedError, type RegistrationRejection } from './collector/registration-rejection';
export { connectEngine, EngineInvocationError } from './engine-client/engine-client';
export { startEmbeddedEngine } from './engine/embedded-engine';
export { serializeInterface, type WorkerInterface } from './interface/worker-interface';
export { buildPublishPayload, serializePayload } from './payload';
export { publishToRegistry } from './registry';
export { checkBreakingChanges, diffInterfaces, renderMarkdownReport, type InterfaceDiffReport } from './interface-diff';
