import type { GenerationProfile } from './generation-profile';
import { currentIntrospection } from './introspection-current';

/** Engine v0.13 … v0.22.1 (spec iii-protocol §4.2): reattach, parked triggers, one namespace. */
export const GENERATION_0_13: GenerationProfile = {
  generation: '0.13',
  rules: {
    defaultEngineVersion: '0.22.1',
    reattach: true,
    parkTriggersOfUnknownType: true,
    parkTriggersOfRemovedType: true,
    relayTriggerRegistrationErrors: true,
    forwardInvocationMetadata: true,
    sanitizedWorkerText: true,
    firstOwnerKeepsFunction: false,
    namespacedNotFoundMessage: false,
  },
  namespaced: false,
  features: [],
  observeFrames: false,
  acknowledgesFunctions: false,
  triggerTypes: true,
  introspection: ({ state, workersRegister }) => currentIntrospection(state, workersRegister),
};
