import type { BuiltinFunction, InputReader } from './builtin-function';
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

/** The caller's connection, found by the `_caller_worker_id` the engine injected. */
export function callerConnection(state: EngineState, input: InputReader): { workerId: string; connection: WorkerConnection | undefined } {
  const workerId = input.requiredString('_caller_worker_id');
  const uuid = normalizeUuid(workerId);
  return { workerId, connection: uuid ? state.connections.get(uuid) : undefined };
}

/** Reads the SDK's `engine::workers::register` payload (a bad field fails the call before anything changes). */
export function readWorkerMetadata(rules: GenerationRules, input: InputReader) {
  const rawName = input.optionalString('name');
  const rawDescription = rules.sanitizedWorkerText ? input.optionalString('description') : undefined;
  return {
    runtime: input.optionalString('runtime'),
    version: input.optionalString('version'),
    name: rules.sanitizedWorkerText && rawName !== undefined ? sanitizeWorkerText(rawName) : rawName,
    description: rawDescription !== undefined ? sanitizeWorkerText(rawDescription) : undefined,
    os: input.optionalString('os'),
    pid: input.optionalUnsigned('pid'),
    isolation: input.optionalString('isolation'),
    telemetry: input.optionalJson('telemetry'),
    features: readFeatures(input.optionalJson('features')),
  };
}

/** 0.25+ `features`, read leniently like the SDKs read the engine's (iii-sdk 0.25.0 crate `src/protocol.rs:517-532`). */
function readFeatures(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

/** `update_worker_metadata`: runtime/version/telemetry always replaced, the rest only when present. */
export function applyWorkerMetadata(connection: WorkerConnection, read: ReturnType<typeof readWorkerMetadata>): void {
  const m = connection.metadata;
  m.runtime = read.runtime ?? 'unknown';
  m.version = read.version;
  m.telemetry = read.telemetry;
  if (read.name !== undefined) m.name = read.name;
  if (read.description !== undefined) m.description = read.description;
  if (read.os !== undefined) m.os = read.os;
  if (read.pid !== undefined) m.pid = read.pid;
  if (read.isolation !== undefined) m.isolation = read.isolation;
  if (read.features !== undefined) m.features = read.features;
}

export const WORKERS_REGISTER_ID = 'engine::workers::register';
export const WORKERS_REGISTER_DESCRIPTION = 'Register worker metadata';

/**
 * `engine::workers::register` before 0.23 (fire-and-forget, spec §3): updates the calling connection's metadata
 * from the SDK's payload, then reports the update.
 */
export function workersRegisterFunction(
  state: EngineState,
  rules: GenerationRules,
  onRegistered: (workerId: string, connection: WorkerConnection | undefined) => void,
): BuiltinFunction {
  return {
    id: WORKERS_REGISTER_ID,
    description: WORKERS_REGISTER_DESCRIPTION,
    handler: (input) => {
      const { workerId, connection } = callerConnection(state, input);
      const read = readWorkerMetadata(rules, input);
      if (connection) applyWorkerMetadata(connection, read);
      onRegistered(workerId, connection);
      return { success: true };
    },
  };
}
