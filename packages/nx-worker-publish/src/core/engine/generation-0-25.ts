import { GENERATION_0_23 } from './generation-0-23';
import type { GenerationProfile } from './generation-profile';

/**
 * Engine 0.25: 0.23 plus the observe protocol, as the 0.25 SDKs expect it (no 0.25 engine source is readable;
 * spec iii-sdk-wire §2.3, §5, §11):
 * - `workerregistered.features` advertises `observe.v1` and `local-dispatch.v1`, as the SDK's own fake 0.25 engine
 *   does (iii-sdk 0.25.0 crate, `tests/observe_mock.rs:90-96`); the SDK reads it in `on_engine_features`
 *   (`src/iii.rs:4090-4161`; Python iii-sdk 0.25.0 `iii/iii.py:1217-1240`).
 * - `observe`, `unobserve`, `observerack`, `invocationsobserved` and `localinvocationstats` are decoded and accepted
 *   (crate 0.25.0 `src/protocol.rs:367-486`); an `observe` is answered `observeresult` `active` so `ready()` resolves.
 * - each registered function of an `observe.v1` connection is acknowledged with `functionregistered` and no
 *   observers (crate 0.25.0 `src/protocol.rs:418-431`, "sent only to observe.v1 connections" `:167-168`).
 * - `registerfunction.observe` is accepted and not part of a function's row; trigger types still work (deprecated
 *   in the SDK, crate 0.25.0 `src/iii.rs:2566-2588`).
 */
export const GENERATION_0_25: GenerationProfile = {
  ...GENERATION_0_23,
  generation: '0.25',
  rules: { ...GENERATION_0_23.rules, defaultEngineVersion: '0.25.0' },
  features: ['observe.v1', 'local-dispatch.v1'],
  observeFrames: true,
  acknowledgesFunctions: true,
};
