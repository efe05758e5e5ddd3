import { lineAtLeast, type SdkReading } from '../sdk-version';

/** What the collection knows of the engine it talks to. */
export interface EngineReport {
  /** e.g. `embedded engine generation 0.23`, `external engine \`iii\``. */
  label: string;
  /** Its version, when known (the embedded generation's, `--version`, or `engine::health::check`). */
  version?: string;
  /** Features it advertises in `workerregistered` (the embedded engine; a real engine's are assumed from its version). */
  features?: readonly string[];
}

/** The collection cannot be trusted: the worker's SDK would hold registrations back from this engine. */
export class SdkNewerThanEngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SdkNewerThanEngineError';
  }
}

/**
 * A 0.26+ SDK registers its functions with `args_format`, `private` or `observable: false` only once the engine
 * advertises `observe.v2` (iii-sdk 0.26.0-rc.4 crate, `src/iii.rs:3336-3359` and `register_v2_functions` `:4113-4150`).
 * Real engines advertise it from 0.26 on (assumed from the SDK's fake 0.26 engine, `tests/observe_mock.rs:95`).
 */
function hasObserveV2(engine: EngineReport): boolean | undefined {
  if (engine.features) return engine.features.includes('observe.v2');
  return engine.version === undefined ? undefined : lineAtLeast(engine.version, 0, 26);
}

/**
 * Fails when the worker's SDK line can withhold registrations from the engine: the interface read would be missing
 * them. Returns a note for the step line when either version is unknown (nothing could be checked), else undefined.
 */
export function checkSdkAgainstEngine(worker: string, reading: SdkReading, engine: EngineReport): string | undefined {
  if (!reading.sdk) return `iii-sdk version unknown (${reading.reason}): not checked against the engine`;
  const { version, source } = reading.sdk;
  if (!lineAtLeast(version, 0, 26)) return undefined;
  const served = hasObserveV2(engine);
  if (served === undefined) return `engine version unknown: iii-sdk ${version} not checked against it`;
  if (served) return undefined;
  throw new SdkNewerThanEngineError(
    `worker ${worker} is built on iii-sdk ${version} (${source}), newer than the ${engine.label}` +
      `${engine.version ? ` (version ${engine.version})` : ''}: an SDK of line 0.26 or newer holds back every function with ` +
      `args_format, private or observable: false until the engine advertises observe.v2, which engines before 0.26 never do, ` +
      `so the interface would be incomplete. Nothing was collected. To fix: use engineGeneration auto or 0.26 with the ` +
      `embedded engine, or install iii engine 0.26 or newer for engine: external / url.`,
  );
}
