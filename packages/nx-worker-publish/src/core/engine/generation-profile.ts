import type { BuiltinFunction } from './builtin-function';
import type { EngineState, TriggerEntry, TriggerTypeEntry } from './engine-state';
import type { EngineGeneration, GenerationRules } from './generation';

/** What a generation's introspection builtins are built from. */
export interface IntrospectionParts {
  state: EngineState;
  /** `engine::workers::register` as this generation's handshake defines it. */
  workersRegister: BuiltinFunction;
  /** The trigger type a binding goes to. */
  typeOf(trigger: TriggerEntry): TriggerTypeEntry | undefined;
}

/**
 * One engine generation as the engine core composes it: the rule switches the shared routers read, plus the parts of
 * the protocol the generation has or lacks. One module per generation (`generation-<version>.ts`), each citing the
 * engine or SDK source its behaviour comes from.
 */
export interface GenerationProfile {
  readonly generation: EngineGeneration;
  readonly rules: GenerationRules;
  /** 0.23+: a connection's registrations wait for the namespace its `engine::workers::register` names. */
  readonly namespaced: boolean;
  /** 0.25+: `workerregistered.features`; empty leaves the key out, as engines before 0.25 do. */
  readonly features: readonly string[];
  /** 0.25+: the observe-family frames (`observe`, `unobserve`, `observerack`, reports) are part of the protocol. */
  readonly observeFrames: boolean;
  /** 0.25+: each function an `observe.v1` connection registers is acknowledged with `functionregistered`. */
  readonly acknowledgesFunctions: boolean;
  /** Trigger types and triggers exist (gone in 0.26). */
  readonly triggerTypes: boolean;
  /** The `engine::*` introspection builtins. */
  introspection(parts: IntrospectionParts): BuiltinFunction[];
}
