export { splitEngineCommand } from './engine-command';
export { renderEngineConfig } from './engine-config';
export { probeEngineOnce, waitForEngineReady, type WaitForEngineReadyOptions } from './engine-readiness';
export {
  ENGINE_CONFIG_FILE,
  ENGINE_LOG_FILE,
  startExternalEngine,
  type ExternalEngineDeps,
  type ExternalEngineOptions,
  type RunningExternalEngine,
} from './external-engine';
export { EngineCommandNotFoundError, EngineExitedError, EngineNotReadyError, EngineOptionError, EnginePortTakenError } from './external-engine-errors';
export { pickFreePort } from './free-port';
export { readEngineCommandVersion, versionIn } from './engine-version';
