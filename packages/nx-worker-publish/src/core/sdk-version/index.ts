export { readWorkerSdk } from './read-worker-sdk';
export { lineAtLeast, sdkLine, versionOfRequirement, type SdkReading, type WorkerSdk } from './worker-sdk';
