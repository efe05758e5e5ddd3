import { COLLECT_CONFIG_FILE, type LaunchPlan } from '../launch-plan';
import type { WorkerExitedError } from '../worker-process';

const BINARY_MODES: ReadonlySet<LaunchPlan['mode']> = new Set(['build-output', 'release-binary', 'cargo-run']);

/** A worker's own words for a config file it could not load (`loading config from ./config.yaml`, `config.yaml: No such file`). */
const MISSING_CONFIG = /config\.ya?ml/i;

/**
 * A binary worker that exits before registering because it wants a `config.yaml` its folder lacks (the real
 * iii-database: "loading config from ./config.yaml") is fixed by a `config.collect.yaml`, which every binary launch
 * passes as `--config ./config.collect.yaml`. Says so under the log tail the error already carries.
 */
export function addCollectConfigHint(error: WorkerExitedError, plan: LaunchPlan): void {
  if (!BINARY_MODES.has(plan.mode) || !MISSING_CONFIG.test(error.logTail)) return;
  const passed = plan.args.includes(`./${COLLECT_CONFIG_FILE}`);
  error.message += passed
    ? `\nThe worker was given --config ./${COLLECT_CONFIG_FILE} and still failed on its config: check that file.`
    : `\nIf the worker needs a config file to start: put a ${COLLECT_CONFIG_FILE} beside iii.worker.yaml (in ${plan.cwd}); ` +
      `every binary launch (build-output, release-binary, cargo-run) passes it as --config ./${COLLECT_CONFIG_FILE}.`;
}
