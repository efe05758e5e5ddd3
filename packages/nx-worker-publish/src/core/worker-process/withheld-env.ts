import { DEFAULT_API_KEY_ENV } from '../registry/resolve-api-key';

/**
 * Variables no worker and no external engine ever inherits, whatever the options say: the registry key's default
 * name and the tokens a CI runner or Nx hands this process. A worker may log its environment; these would leak.
 */
export const ALWAYS_WITHHELD_ENV: readonly string[] = [
  DEFAULT_API_KEY_ENV,
  // iii SDKs ≥ 0.24 send it as `Authorization: Bearer` to the engine and its /otel socket (crate 0.25.0 `src/channels.rs:51-66`).
  'III_TOKEN',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'NX_CLOUD_ACCESS_TOKEN',
  'NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN',
];

export interface WithheldEnvSources {
  /** The `apiKeyEnv` of every publish target of the workspace (any of them may hold a registry key). */
  apiKeyEnvs?: Iterable<string | undefined>;
  /** The user's `withholdEnv` option. */
  withholdEnv?: Iterable<string>;
}

/** The one place that decides which parent variables a worker and an external engine must not see. Sorted, unique. */
export function withheldEnvNames(sources: WithheldEnvSources = {}): string[] {
  const names = new Set<string>(ALWAYS_WITHHELD_ENV);
  for (const name of sources.apiKeyEnvs ?? []) if (name?.trim()) names.add(name.trim());
  for (const name of sources.withholdEnv ?? []) if (name.trim()) names.add(name.trim());
  return [...names].sort();
}

/**
 * What the iii SDKs read to name the worker, place it in a namespace, point it at an engine or shape its telemetry
 * (iii-sdk 0.25.0 crate `src/lib.rs:137-145`, `src/iii.rs:1128-1143, 1234-1250`; Python iii-sdk 0.25.0 `iii/iii.py:518-549,
 * 1359-1364`; iii-helpers 0.25.0 telemetry `mod.rs:207-249`). Inherited from whoever ran the task they could rename
 * the worker or move it to another engine, so they are never inherited: the collector sets `III_URL` itself, and a
 * worker's own `env` (manifest or options) may set any of them on purpose (`III_NAMESPACE: orders`).
 */
export const SDK_IDENTITY_ENV: readonly string[] = [
  'III_URL',
  'III_WORKER_NAME',
  'III_NAMESPACE',
  'III_ISOLATION',
  'III_DISABLE_TRACE_PAYLOADS',
  'III_TRACE_PAYLOAD_MAX_BYTES',
];
/** OpenTelemetry settings (`OTEL_ENABLED`, `OTEL_SERVICE_NAME`, exporter headers that may hold credentials, …). */
const OTEL_PREFIX = 'OTEL_';

/** `process.env` without the withheld names (always including ALWAYS_WITHHELD_ENV) and the SDK identity variables. */
export function inheritedEnv(withheld: Iterable<string> = [], env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const result = { ...env };
  for (const name of [...ALWAYS_WITHHELD_ENV, ...SDK_IDENTITY_ENV, ...withheld]) delete result[name];
  for (const name of Object.keys(result)) if (name.startsWith(OTEL_PREFIX)) delete result[name];
  return result;
}
