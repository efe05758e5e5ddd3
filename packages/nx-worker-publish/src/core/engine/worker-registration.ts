import type { BuiltinFunction } from './builtin-function';
import type { EngineState } from './engine-state';
import type { GenerationRules } from './generation';
import { normalizeUuid } from './protocol';
import type { WorkerConnection } from './worker-connection';

const WORKER_TEXT_MAX_CHARS = 280;

/**
 * Self-reported names and descriptions are shown on consoles and to LLMs: the engine strips control
 * characters, bidi overrides/isolates and line/paragraph separators, keeps 280 chars, trims, and drops empties.
 */
export function sanitizeWorkerText(raw: string): string | undefined {
  const unsafe = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u2028\u2029]/u;
  const kept = [...raw].filter((c) => !unsafe.test(c)).slice(0, WORKER_TEXT_MAX_CHARS).join('');
  const trimmed = kept.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * `engine::workers::register` (fire-and-forget, spec §3): updates the calling connection's metadata from the
 * SDK's payload, identified by the `_caller_worker_id` the engine injected, then reports the update.
 */
export function workersRegisterFunction(
  state: EngineState,
  rules: GenerationRules,
  onRegistered: (workerId: string, connection: WorkerConnection | undefined) => void,
): BuiltinFunction {
  return {
    id: 'engine::workers::register',
    description: 'Register worker metadata',
    handler: (input) => {
      const workerId = input.requiredString('_caller_worker_id');
      const runtime = input.optionalString('runtime');
      const version = input.optionalString('version');
      const rawName = input.optionalString('name');
      const rawDescription = rules.sanitizedWorkerText ? input.optionalString('description') : undefined;
      const os = input.optionalString('os');
      const pid = input.optionalUnsigned('pid');
      const isolation = input.optionalString('isolation');
      const telemetry = input.optionalJson('telemetry');

      const uuid = normalizeUuid(workerId);
      const connection = uuid ? state.connections.get(uuid) : undefined;
      if (connection) {
        const name = rules.sanitizedWorkerText && rawName !== undefined ? sanitizeWorkerText(rawName) : rawName;
        const description = rawDescription !== undefined ? sanitizeWorkerText(rawDescription) : undefined;
        // update_worker_metadata: runtime/version/telemetry always replaced, the rest only when present.
        const m = connection.metadata;
        m.runtime = runtime ?? 'unknown';
        m.version = version;
        m.telemetry = telemetry;
        if (name !== undefined) m.name = name;
        if (description !== undefined) m.description = description;
        if (os !== undefined) m.os = os;
        if (pid !== undefined) m.pid = pid;
        if (isolation !== undefined) m.isolation = isolation;
      }
      onRegistered(workerId, connection);
      return { success: true };
    },
  };
}
