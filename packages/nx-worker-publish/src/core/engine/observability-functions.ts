import type { BuiltinFunction, InputReader } from './builtin-function';
import type { EngineLog } from './engine-log';
import type { WorkerConnection } from './worker-connection';

const OBSERVABILITY_WORKER = 'iii-observability';
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

function logText(input: InputReader): string {
  const { _caller_worker_id: _caller, ...fields } = input.input;
  const message = typeof fields.message === 'string' ? fields.message : typeof fields.body === 'string' ? fields.body : undefined;
  const rest = { ...fields };
  delete rest.message;
  delete rest.body;
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  return message !== undefined ? message + extra : JSON.stringify(fields);
}

const whoCalled = (caller: WorkerConnection | undefined) => (caller ? (caller.name ? `${caller.name} (${caller.id})` : caller.id) : 'engine');

/**
 * The functions of the mandatory `iii-observability` worker a worker may call while it boots: `engine::log::*`
 * (written to the engine log) and `engine::health::check`. The rest of that worker (traces, metrics, alerts…) is
 * not modelled: calling it is a logged `function_not_found`.
 */
export function observabilityFunctions(log: EngineLog, engineVersion: string): BuiltinFunction[] {
  const logFunctions: BuiltinFunction[] = LEVELS.map((level) => ({
    id: `engine::log::${level}`,
    description: `Log a ${level} message through the engine`,
    worker: OBSERVABILITY_WORKER,
    handler: (input, call) => {
      log.write(level.toUpperCase() as Uppercase<typeof level>, `[${whoCalled(call.caller)}] ${logText(input)}`);
      return null;
    },
  }));
  const startedAt = Date.now();
  const health: BuiltinFunction = {
    id: 'engine::health::check',
    description: 'Report engine health',
    worker: OBSERVABILITY_WORKER,
    handler: () => ({ status: 'healthy', version: engineVersion, uptime_ms: Date.now() - startedAt, timestamp: Date.now() }),
  };
  return [...logFunctions, health];
}
