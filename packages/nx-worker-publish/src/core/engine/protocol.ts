/**
 * The iii worker protocol as engine v0.22.1 decodes it (spec iii-protocol §2): one JSON object per frame,
 * discriminated by `type`. Decoding mirrors serde on the engine: required fields must be present with the
 * right type, unknown keys are ignored, and anything that does not decode is dropped by the caller.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface ErrorBody {
  code: string;
  message: string;
  stacktrace?: string;
}

export type TriggerAction = { type: 'void' } | { type: 'enqueue'; queue: string };

export type WorkerMessage =
  | { type: 'registerfunction'; id: string; description?: string; request_format?: Json; response_format?: Json; metadata?: Json; invocation?: Json }
  | { type: 'unregisterfunction'; id: string }
  | { type: 'registertriggertype'; id: string; description: string; trigger_request_format?: Json; call_request_format?: Json; namespace?: string }
  | {
      type: 'registertrigger';
      id: string;
      trigger_type: string;
      function_id: string;
      config: Json;
      metadata?: Json;
      /** 0.23: namespace of the target function (absent: `default`). */
      namespace?: string;
      /** 0.23: namespace of the type's provider (absent: the connection's, then `default`). */
      trigger_namespace?: string;
    }
  | { type: 'unregistertrigger'; id: string; trigger_type?: string }
  | { type: 'triggerregistrationresult'; id: string; trigger_type: string; function_id: string; error?: ErrorBody }
  | {
      type: 'invokefunction';
      invocation_id?: string;
      function_id: string;
      data: Json;
      traceparent?: string;
      baggage?: string;
      action?: TriggerAction;
      metadata?: Json;
      /** 0.23: namespace of the target (absent: `default`). */
      namespace?: string;
    }
  | { type: 'invocationresult'; invocation_id: string; function_id: string; result?: Json; error?: ErrorBody }
  | { type: 'registerservice'; id: string }
  | { type: 'reattach'; previous_worker_id: string; reattach_token?: string }
  | { type: 'ping' }
  | { type: 'pong' }
  | { type: 'workerregistered' }
  /** 0.25+: an observing worker subscribes (`id` is its client-side observer id). */
  | { type: 'observe'; id: string }
  /** 0.25+: the rest of the observe family, accepted and not modelled further. */
  | { type: ObserveReportType };

/**
 * Observe-family frames a worker sends besides `observe` (iii-sdk 0.25.0 crate `src/protocol.rs:367-486`): withdrawal,
 * the owner's acknowledgement of an observer, and reports of locally dispatched calls.
 */
const OBSERVE_REPORTS = ['unobserve', 'observerack', 'invocationsobserved', 'localinvocationstats'] as const;
type ObserveReportType = (typeof OBSERVE_REPORTS)[number];

/** Which optional parts of the protocol the engine's generation decodes; the others are dropped like unknown frames. */
export interface FrameDialect {
  /** 0.23+: the `namespace` fields. */
  namespaces?: boolean;
  /** 0.25+: the observe family. */
  observe?: boolean;
}

class DecodeError extends Error {}

const UUID_HYPHENATED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_SIMPLE = /^[0-9a-f]{32}$/i;

/** The engine parses ids with the `uuid` crate and re-serializes them hyphenated and lower-case. */
export function normalizeUuid(value: string): string | undefined {
  if (UUID_HYPHENATED.test(value)) return value.toLowerCase();
  if (UUID_SIMPLE.test(value)) {
    const v = value.toLowerCase();
    return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20)}`;
  }
  return undefined;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The engine holds JSON in serde_json `Value`s without `preserve_order`, so every object it relays comes
 * out with its keys sorted. Decoding does the same, so relayed payloads match the real engine byte for byte.
 */
export function sortJsonKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortJsonKeys);
  if (!isJsonObject(value)) return value;
  const sorted: JsonObject = {};
  for (const key of Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) sorted[key] = sortJsonKeys(value[key]);
  return sorted;
}

function requiredString(frame: JsonObject, key: string): string {
  const value = frame[key];
  if (typeof value !== 'string') throw new DecodeError(key);
  return value;
}

/** serde `Option<String>`: absent or null → undefined. */
function optionalString(frame: JsonObject, key: string): string | undefined {
  const value = frame[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new DecodeError(key);
  return value;
}

/** serde `Value` (required): any JSON, but the key must be there. */
function requiredJson(frame: JsonObject, key: string): Json {
  if (!(key in frame)) throw new DecodeError(key);
  return sortJsonKeys(frame[key]);
}

/** serde `Option<Value>`: absent or null → undefined. */
function optionalJson(frame: JsonObject, key: string): Json | undefined {
  const value = frame[key];
  return value === null || value === undefined ? undefined : sortJsonKeys(value);
}

function optionalUuid(frame: JsonObject, key: string): string | undefined {
  const raw = optionalString(frame, key);
  if (raw === undefined) return undefined;
  const uuid = normalizeUuid(raw);
  if (!uuid) throw new DecodeError(key);
  return uuid;
}

export function decodeErrorBody(value: Json | undefined): ErrorBody | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw new DecodeError('error');
  const body: ErrorBody = { code: requiredString(value, 'code'), message: requiredString(value, 'message') };
  const stacktrace = optionalString(value, 'stacktrace');
  if (stacktrace !== undefined) body.stacktrace = stacktrace;
  return body;
}

function decodeAction(value: Json | undefined): TriggerAction | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw new DecodeError('action');
  if (value.type === 'void') return { type: 'void' };
  if (value.type === 'enqueue') return { type: 'enqueue', queue: requiredString(value, 'queue') };
  throw new DecodeError('action');
}

/** The 0.23 `namespace` keys; engines before 0.23 ignore them like any unknown key. */
function namespaceKeys(frame: JsonObject, keys: string[], readsNamespaces: boolean): Record<string, string | undefined> {
  const read: Record<string, string | undefined> = {};
  if (!readsNamespaces) return read;
  for (const key of keys) {
    const value = optionalString(frame, key);
    if (value !== undefined) read[key] = value;
  }
  return read;
}

function decode(frame: JsonObject, dialect: FrameDialect): WorkerMessage | undefined {
  const readsNamespaces = dialect.namespaces === true;
  if (dialect.observe && frame.type === 'observe') return { type: 'observe', id: requiredString(frame, 'id') };
  if (dialect.observe && (OBSERVE_REPORTS as readonly unknown[]).includes(frame.type)) return { type: frame.type as ObserveReportType };
  switch (frame.type) {
    case 'registerfunction':
      return {
        type: 'registerfunction',
        id: requiredString(frame, 'id'),
        description: optionalString(frame, 'description'),
        request_format: optionalJson(frame, 'request_format'),
        response_format: optionalJson(frame, 'response_format'),
        metadata: optionalJson(frame, 'metadata'),
        invocation: optionalJson(frame, 'invocation'),
      };
    case 'unregisterfunction':
      return { type: 'unregisterfunction', id: requiredString(frame, 'id') };
    case 'registertriggertype':
      return {
        type: 'registertriggertype',
        id: requiredString(frame, 'id'),
        description: requiredString(frame, 'description'),
        trigger_request_format: optionalJson(frame, 'trigger_request_format'),
        call_request_format: optionalJson(frame, 'call_request_format'),
        ...namespaceKeys(frame, ['namespace'], readsNamespaces),
      };
    case 'registertrigger':
      return {
        type: 'registertrigger',
        id: requiredString(frame, 'id'),
        trigger_type: requiredString(frame, 'trigger_type'),
        function_id: requiredString(frame, 'function_id'),
        config: requiredJson(frame, 'config'),
        metadata: optionalJson(frame, 'metadata'),
        ...namespaceKeys(frame, ['namespace', 'trigger_namespace'], readsNamespaces),
      };
    case 'unregistertrigger':
      return { type: 'unregistertrigger', id: requiredString(frame, 'id'), trigger_type: optionalString(frame, 'trigger_type') };
    case 'triggerregistrationresult':
      return {
        type: 'triggerregistrationresult',
        id: requiredString(frame, 'id'),
        trigger_type: requiredString(frame, 'trigger_type'),
        function_id: requiredString(frame, 'function_id'),
        error: decodeErrorBody(frame.error),
      };
    case 'invokefunction':
      return {
        type: 'invokefunction',
        invocation_id: optionalUuid(frame, 'invocation_id'),
        function_id: requiredString(frame, 'function_id'),
        data: requiredJson(frame, 'data'),
        traceparent: optionalString(frame, 'traceparent'),
        baggage: optionalString(frame, 'baggage'),
        action: decodeAction(frame.action),
        metadata: optionalJson(frame, 'metadata'),
        ...namespaceKeys(frame, ['namespace'], readsNamespaces),
      };
    case 'invocationresult': {
      const invocationId = normalizeUuid(requiredString(frame, 'invocation_id'));
      if (!invocationId) throw new DecodeError('invocation_id');
      return {
        type: 'invocationresult',
        invocation_id: invocationId,
        function_id: requiredString(frame, 'function_id'),
        result: optionalJson(frame, 'result'),
        error: decodeErrorBody(frame.error),
      };
    }
    case 'registerservice':
      return { type: 'registerservice', id: requiredString(frame, 'id') };
    case 'reattach':
      return {
        type: 'reattach',
        previous_worker_id: requiredString(frame, 'previous_worker_id'),
        reattach_token: optionalString(frame, 'reattach_token'),
      };
    case 'ping':
    case 'pong':
    case 'workerregistered':
      return { type: frame.type };
    default:
      return undefined;
  }
}

/**
 * Decodes one text frame (with the `dialect`'s optional parts: 0.23 `namespace` fields, 0.25 observe frames). Returns
 * undefined for anything the engine would log as a `json decode error` (invalid JSON, unknown `type`, missing or
 * mistyped fields) — the socket stays open either way.
 */
export function decodeWorkerFrame(text: string, dialect: FrameDialect = {}): WorkerMessage | undefined {
  if (text.trim() === '') return undefined;
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(frame)) return undefined;
  try {
    return decode(frame, dialect);
  } catch (error) {
    if (error instanceof DecodeError) return undefined;
    throw error;
  }
}

/** Binary frames starting with these 4 bytes are OTLP telemetry (spec §1), never protocol messages. */
export const TELEMETRY_FRAME_PREFIXES = ['OTLP', 'MTRC', 'LOGS'];
