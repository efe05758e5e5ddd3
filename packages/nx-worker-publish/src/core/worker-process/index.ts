export { failOnEarlyExit } from './fail-on-early-exit';
export { lastLines, readLogTail } from './log-tail';
export { WorkerExitedError, WorkerSpawnError } from './worker-errors';
export {
  startWorkerProcess,
  type StartWorkerOptions,
  type WorkerExit,
  type WorkerLaunch,
  type WorkerProcess,
} from './worker-process';
export { ALWAYS_WITHHELD_ENV, inheritedEnv, withheldEnvNames, type WithheldEnvSources } from './withheld-env';
export { exitWhenParentDies } from './parent-watch';
export { RUN_ID_ENV } from './worker-process';
