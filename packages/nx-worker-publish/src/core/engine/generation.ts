/**
 * The embedded engine's generations, each named by the first real engine version that behaves like it
 * (spec iii-protocol §0, §4; iii-engine-0.23 §1; iii-0.24-0.28 §2): `0.11` (≤ v0.12, read at v0.11.6-next.1), `0.13`
 * (v0.13 … v0.22.1), `0.23` (namespaces, read at v0.23.0-rc.4), `0.25` (observe.v1, known from the 0.25 SDKs) and
 * `0.26` (observe.v2, no trigger types, known from the Rust SDK 0.26.0-rc.4). `legacy` and `current` are old names.
 * Each generation is a profile module of its own (`generation-<version>.ts`) that the engine core composes.
 */
export type EngineGeneration = '0.26' | '0.25' | '0.23' | '0.13' | '0.11';

/** What a generation may be called: its name or an old alias. */
export type EngineGenerationName = EngineGeneration | 'current' | 'legacy';

/** Every generation, newest first. */
export const ENGINE_GENERATIONS: readonly EngineGeneration[] = ['0.26', '0.25', '0.23', '0.13', '0.11'];

/** What `engineGeneration: auto` falls back to when the worker's SDK version cannot be read. */
export const NEWEST_ENGINE_GENERATION: EngineGeneration = '0.26';

/** The standalone engine's default (`startEmbeddedEngine`, `worker-publish engine`); collections default to `auto`. */
export const DEFAULT_ENGINE_GENERATION: EngineGeneration = '0.23';

const GENERATION_NAMES: Record<string, EngineGeneration> = {
  '0.26': '0.26',
  '0.25': '0.25',
  '0.23': '0.23',
  '0.13': '0.13',
  '0.11': '0.11',
  current: '0.13',
  legacy: '0.11',
};

/** One line listing the accepted names, for usage and error messages. */
export const GENERATION_CHOICES =
  '0.26 (engine ≥ 0.26, observe.v2, no trigger types), 0.25 (engine 0.25, observe.v1), 0.23 (engine 0.23 … 0.24, namespaces), ' +
  '0.13 (engine 0.13 … 0.22, alias current) or 0.11 (engine ≤ 0.12, alias legacy)';

/** The generation a name stands for (aliases resolved), or undefined for an unknown name. */
export function parseEngineGeneration(name: string): EngineGeneration | undefined {
  return Object.prototype.hasOwnProperty.call(GENERATION_NAMES, name) ? GENERATION_NAMES[name] : undefined;
}

export interface GenerationRules {
  /** Version reported for in-process workers. */
  defaultEngineVersion: string;
  /** `workerregistered.reattach_token` and the `reattach` message (added after v0.11.6). */
  reattach: boolean;
  /** Unknown trigger type: park until the type registers (≥ 0.13) or drop it (0.11). */
  parkTriggersOfUnknownType: boolean;
  /** Provider gone: park its types' triggers (≥ 0.13) or leave them orphaned in the list (0.11). */
  parkTriggersOfRemovedType: boolean;
  /** A provider's `triggerregistrationresult` error is relayed to the originator (≥ 0.13) or ignored (0.11). */
  relayTriggerRegistrationErrors: boolean;
  /** `invokefunction.metadata` is carried to the callee (≥ v0.22). */
  forwardInvocationMetadata: boolean;
  /** `engine::workers::register` stores `description` and sanitizes name/description (≥ 0.13). */
  sanitizedWorkerText: boolean;
  /**
   * A function id another live worker holds: the newcomer takes it over (last writer wins, ≤ 0.22) or is refused
   * with `registrationrejected` FUNCTION_NAMESPACE_CONFLICT (first live owner keeps it, 0.23).
   */
  firstOwnerKeepsFunction: boolean;
  /** `invokefunction` of an unknown id names the namespace looked in and those the id lives in (0.23). */
  namespacedNotFoundMessage: boolean;
}
