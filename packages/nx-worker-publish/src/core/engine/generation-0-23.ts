import type { GenerationProfile } from './generation-profile';
import { namespacedIntrospection } from './introspection-namespaced';

/**
 * Engine 0.23 and 0.24 (read at v0.23.0-rc.4, spec iii-engine-0.23 §1): namespaces, registrations held until
 * `engine::workers::register`, the first live owner keeps a function id. The 0.24 SDKs' `reattach` and
 * `registrationrejected` are already here (iii-sdk-wire §9).
 */
export const GENERATION_0_23: GenerationProfile = {
  generation: '0.23',
  rules: {
    defaultEngineVersion: '0.23.0',
    reattach: true,
    parkTriggersOfUnknownType: true,
    parkTriggersOfRemovedType: true,
    relayTriggerRegistrationErrors: true,
    forwardInvocationMetadata: true,
    sanitizedWorkerText: true,
    firstOwnerKeepsFunction: true,
    namespacedNotFoundMessage: true,
  },
  namespaced: true,
  features: [],
  observeFrames: false,
  acknowledgesFunctions: false,
  triggerTypes: true,
  introspection: ({ state, workersRegister, typeOf }) => namespacedIntrospection(state, workersRegister, typeOf),
};
