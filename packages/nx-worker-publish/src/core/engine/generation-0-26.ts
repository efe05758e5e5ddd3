import { GENERATION_0_25 } from './generation-0-25';
import type { GenerationProfile } from './generation-profile';

/** Introspection the 0.26 SDK no longer names (iii-sdk 0.26.0-rc.4 crate, `src/engine.rs:14-22` vs 0.25.0 `:17-33`). */
const TRIGGER_INTROSPECTION = /^engine::(registered-)?triggers::/;

/**
 * Engine 0.26: 0.25 plus `observe.v2`, without trigger types (known only from the Rust SDK 0.26.0-rc.4; spec
 * iii-sdk-wire §2.1, §4, §11):
 * - advertises `observe.v2` too, as the SDK's fake 0.26 engine does (crate 0.26.0-rc.4 `tests/observe_mock.rs:95`):
 *   without it a 0.26 worker never sends its functions with `args_format`, `private` or `observable: false`
 *   (`register_v2_functions`, `src/iii.rs:4113-4150`); with it they arrive after `engine::workers::register`.
 * - trigger types and triggers are gone (no frames, `src/protocol.rs:259`; no `engine::triggers::*`): a worker that
 *   still registers a trigger type is reported, never silently dropped, and `engine::triggers::*` answers
 *   `function_not_found`.
 */
export const GENERATION_0_26: GenerationProfile = {
  ...GENERATION_0_25,
  generation: '0.26',
  rules: { ...GENERATION_0_25.rules, defaultEngineVersion: '0.26.0' },
  features: ['observe.v1', 'observe.v2', 'local-dispatch.v1'],
  triggerTypes: false,
  introspection: (parts) => GENERATION_0_25.introspection(parts).filter((builtin) => !TRIGGER_INTROSPECTION.test(builtin.id)),
};
