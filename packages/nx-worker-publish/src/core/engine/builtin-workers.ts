import type { EngineGeneration } from './generation';
import { sortJsonKeys, type Json } from './protocol';

/** The mandatory in-process workers every engine injects (spec §6), listed with runtime "engine". */
export const IN_PROCESS_WORKERS = [
  { name: 'iii-engine-functions', description: 'Core engine introspection (engine::*) and platform authoring reference.' },
  { name: 'iii-observability', description: 'OpenTelemetry-based traces, metrics, logs, alerts, and sampling.' },
  { name: 'iii-telemetry', description: 'Anonymous usage telemetry and heartbeat reporting for the engine.' },
  {
    name: 'iii-worker-manager',
    description: 'WebSocket listener that SDK workers connect to. Supports RBAC, middleware, registration hooks, and channels.',
  },
] as const;

export const ENGINE_FUNCTIONS_WORKER = 'iii-engine-functions';
export const WORKERS_AVAILABLE = 'engine::workers-available';
export const FUNCTIONS_AVAILABLE = 'engine::functions-available';

/** `known_trigger_type_provider` (engine/src/trigger.rs): names the owner of a type no connection provides. */
export const KNOWN_TRIGGER_TYPE_PROVIDERS: Record<string, string> = {
  http: 'iii-http',
  cron: 'iii-cron',
  subscribe: 'iii-pubsub',
  state: 'iii-state',
  'durable:subscriber': 'queue',
  stream: 'iii-stream',
  'stream:join': 'iii-stream',
  'stream:leave': 'iii-stream',
  log: 'iii-observability',
  trace: 'iii-observability',
  configuration: 'configuration',
};

export interface BuiltinTriggerType {
  id: string;
  description: string;
  trigger_request_format?: Json;
  call_request_format?: Json;
}

const SCHEMA = 'https://json-schema.org/draft/2020-12/schema';
const u64 = (description: string) => ({ description, type: 'integer', format: 'uint64', minimum: 0 });
const str = (description: string) => ({ description, type: 'string' });

// Shaped like the schemars output of the engine's `LogTriggerConfig` / `LogCallRequest` (trigger_formats.rs).
const LOG_TRIGGER_CONFIG: Json = {
  $schema: SCHEMA,
  title: 'LogTriggerConfig',
  type: 'object',
  properties: {
    level: { description: 'Minimum log level to trigger on', anyOf: [{ $ref: '#/$defs/LogLevel' }, { type: 'null' }], default: 'all' },
  },
  $defs: { LogLevel: { type: 'string', enum: ['all', 'debug', 'info', 'warn', 'error'] } },
};

const LOG_CALL_REQUEST: Json = {
  $schema: SCHEMA,
  title: 'LogCallRequest',
  type: 'object',
  properties: {
    timestamp_unix_nano: u64('Log timestamp in nanoseconds'),
    observed_timestamp_unix_nano: u64('Observed timestamp in nanoseconds'),
    severity_number: { description: 'Severity number (OpenTelemetry)', type: 'integer', format: 'uint32', minimum: 0 },
    severity_text: str('Severity text (e.g. INFO, ERROR)'),
    body: str('Log message body'),
    attributes: { description: 'Log attributes' },
    trace_id: str('Trace ID'),
    span_id: str('Span ID'),
    resource: { description: 'OpenTelemetry resource' },
    service_name: str('Service name'),
    instrumentation_scope_name: str('Instrumentation scope name'),
    instrumentation_scope_version: str('Instrumentation scope version'),
  },
  required: [
    'timestamp_unix_nano',
    'observed_timestamp_unix_nano',
    'severity_number',
    'severity_text',
    'body',
    'attributes',
    'trace_id',
    'span_id',
    'resource',
    'service_name',
    'instrumentation_scope_name',
    'instrumentation_scope_version',
  ],
};

const TRACE_TRIGGER_CONFIG: Json = {
  $schema: SCHEMA,
  title: 'TraceTriggerConfig',
  type: 'object',
  properties: {
    service_name: { description: 'Only fire for spans emitted by this service. When omitted, matches any service. Compared case-insensitively.', type: ['string', 'null'] },
    status: { description: 'Only fire for spans with this status: `ok`, `error`, or `unset`. When omitted, fires for every status. Compared case-insensitively.', type: ['string', 'null'] },
  },
};

const TRACE_CALL_REQUEST: Json = {
  $schema: SCHEMA,
  title: 'TraceCallRequest',
  type: 'object',
  properties: { trace_ids: { description: 'Distinct trace ids that had span activity in this coalesced window.', type: 'array', items: { type: 'string' } } },
  required: ['trace_ids'],
};

/**
 * Trigger types the in-process workers register at startup. `log` leaks into every worker's triggers on the
 * real engine (spec §4.1); `trace` exists from 0.13 on.
 */
export function builtinTriggerTypes(generation: EngineGeneration): BuiltinTriggerType[] {
  const types: BuiltinTriggerType[] = [
    { id: FUNCTIONS_AVAILABLE, description: 'Triggered when functions are registered/unregistered' },
    { id: WORKERS_AVAILABLE, description: 'Triggered when workers connect/disconnect' },
    { id: 'log', description: 'Log event trigger', trigger_request_format: LOG_TRIGGER_CONFIG, call_request_format: LOG_CALL_REQUEST },
  ];
  if (generation !== '0.11') {
    types.push({ id: 'trace', description: 'Trace/span event trigger', trigger_request_format: TRACE_TRIGGER_CONFIG, call_request_format: TRACE_CALL_REQUEST });
  }
  // schemars output passes through serde_json::Value on the engine, which sorts object keys.
  return types.map((t) => ({
    ...t,
    trigger_request_format: t.trigger_request_format && sortJsonKeys(t.trigger_request_format),
    call_request_format: t.call_request_format && sortJsonKeys(t.call_request_format),
  }));
}
