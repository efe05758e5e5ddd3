/**
 * The two introspection generations of the real engine (spec iii-protocol §0, §4) and the protocol
 * behaviours that changed with them. `current` = v0.22.1, `legacy` = v0.11.6-next.1.
 */
export type EngineGeneration = 'current' | 'legacy';

export interface GenerationRules {
  /** Version reported for in-process workers. */
  defaultEngineVersion: string;
  /** `workerregistered.reattach_token` and the `reattach` message (added after v0.11.6). */
  reattach: boolean;
  /** Unknown trigger type: park until the type registers (current) or drop it (legacy). */
  parkTriggersOfUnknownType: boolean;
  /** Provider gone: park its types' triggers (current) or leave them orphaned in the list (legacy). */
  parkTriggersOfRemovedType: boolean;
  /** A provider's `triggerregistrationresult` error is relayed to the originator (current) or ignored (legacy). */
  relayTriggerRegistrationErrors: boolean;
  /** `invokefunction.metadata` is carried to the callee (≥ v0.22). */
  forwardInvocationMetadata: boolean;
  /** `engine::workers::register` stores `description` and sanitizes name/description (current). */
  sanitizedWorkerText: boolean;
}

export const GENERATION_RULES: Record<EngineGeneration, GenerationRules> = {
  current: {
    defaultEngineVersion: '0.22.1',
    reattach: true,
    parkTriggersOfUnknownType: true,
    parkTriggersOfRemovedType: true,
    relayTriggerRegistrationErrors: true,
    forwardInvocationMetadata: true,
    sanitizedWorkerText: true,
  },
  legacy: {
    defaultEngineVersion: '0.11.6-next.1',
    reattach: false,
    parkTriggersOfUnknownType: false,
    parkTriggersOfRemovedType: false,
    relayTriggerRegistrationErrors: false,
    forwardInvocationMetadata: false,
    sanitizedWorkerText: false,
  },
};
