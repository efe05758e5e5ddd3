import type { GenerationProfile } from './generation-profile';
import { legacyIntrospection } from './introspection-legacy';

/** Engine ≤ v0.12 (read at v0.11.6-next.1, spec iii-protocol §4.1): no reattach, no parking, legacy introspection. */
export const GENERATION_0_11: GenerationProfile = {
  generation: '0.11',
  rules: {
    defaultEngineVersion: '0.11.6-next.1',
    reattach: false,
    parkTriggersOfUnknownType: false,
    parkTriggersOfRemovedType: false,
    relayTriggerRegistrationErrors: false,
    forwardInvocationMetadata: false,
    sanitizedWorkerText: false,
    firstOwnerKeepsFunction: false,
    namespacedNotFoundMessage: false,
  },
  namespaced: false,
  features: [],
  observeFrames: false,
  acknowledgesFunctions: false,
  triggerTypes: true,
  introspection: ({ state, workersRegister }) => legacyIntrospection(state, workersRegister),
};
