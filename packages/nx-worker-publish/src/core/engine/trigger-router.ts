import { builtinTriggerTypes } from './builtin-workers';
import type { EngineState, TriggerEntry, TriggerTypeEntry } from './engine-state';
import type { GenerationRules } from './generation';
import type { InvocationRouter } from './invocation-router';
import { DEFAULT_NAMESPACE } from './namespaced-map';
import type { Json, WorkerMessage } from './protocol';
import type { WorkerConnection } from './worker-connection';

type Msg<T extends WorkerMessage['type']> = Extract<WorkerMessage, { type: T }>;

/**
 * Trigger types and trigger bindings (spec §2.4): bindings go to the type's provider connection as
 * `registertrigger`, wait parked while the type is missing (≥ 0.13), and fire engine events.
 */
export class TriggerRouter {
  constructor(
    private readonly state: EngineState,
    private readonly rules: GenerationRules,
    private readonly invocations: InvocationRouter,
  ) {}

  /** The type a binding goes to: its explicit provider namespace, else its owner's namespace, then `default`. */
  typeOf(trigger: TriggerEntry): TriggerTypeEntry | undefined {
    const types = this.state.triggerTypes;
    if (trigger.triggerNamespace !== undefined) return types.get(trigger.trigger_type, trigger.triggerNamespace);
    return types.get(trigger.trigger_type, trigger.owner?.namespace ?? DEFAULT_NAMESPACE) ?? types.get(trigger.trigger_type);
  }

  registerType(provider: WorkerConnection, msg: Msg<'registertriggertype'>): void {
    // Built-in formats for well-known ids (TriggerType::new), overridden by what the worker sends.
    const defaults = builtinTriggerTypes(this.state.generation).find((t) => t.id === msg.id);
    const type: TriggerTypeEntry = {
      id: msg.id,
      namespace: msg.namespace ?? provider.namespace,
      description: msg.description,
      trigger_request_format: msg.trigger_request_format ?? defaults?.trigger_request_format,
      call_request_format: msg.call_request_format ?? defaults?.call_request_format,
      provider,
    };
    this.state.triggerTypes.set(type);
    // Replay the bindings already known for this type (active ones are re-sent, parked ones activated).
    for (const trigger of this.state.triggers.values()) {
      if (trigger.trigger_type !== type.id || this.typeOf(trigger) !== type) continue;
      trigger.parked = false;
      this.deliver(type, trigger);
    }
  }

  register(owner: WorkerConnection, msg: Msg<'registertrigger'>): void {
    const trigger: TriggerEntry = {
      id: msg.id,
      trigger_type: msg.trigger_type,
      function_id: msg.function_id,
      namespace: msg.namespace ?? DEFAULT_NAMESPACE,
      triggerNamespace: msg.trigger_namespace,
      config: msg.config,
      metadata: msg.metadata,
      owner,
      parked: false,
    };
    const type = this.typeOf(trigger);
    if (!type) {
      // v0.22.1 parks it until the type registers ("Deferred"); v0.11.6 logs "Trigger type not found" and drops it.
      if (!this.rules.parkTriggersOfUnknownType) return;
      trigger.parked = true;
    } else {
      this.deliver(type, trigger);
    }
    this.state.triggers.set(trigger.id, trigger);
  }

  unregister(msg: Msg<'unregistertrigger'>): void {
    const trigger = this.state.triggers.get(msg.id);
    if (!trigger) return;
    this.state.triggers.delete(msg.id);
    if (!trigger.parked) this.withdraw(trigger);
  }

  /** A provider's answer to a forwarded `registertrigger`: an error parks the binding and goes to its originator. */
  registrationResult(from: WorkerConnection, msg: Msg<'triggerregistrationresult'>): void {
    if (!this.rules.relayTriggerRegistrationErrors) return;
    const trigger = this.state.triggers.get(msg.id);
    if (!trigger || trigger.parked) return;
    // Only the provider of the binding's type may report on it (the engine ignores spoofed results).
    if (this.typeOf(trigger)?.provider !== from || !msg.error) return;
    trigger.parked = true;
    trigger.owner?.send({
      type: 'triggerregistrationresult',
      id: trigger.id,
      trigger_type: trigger.trigger_type,
      function_id: trigger.function_id,
      error: msg.error,
    });
  }

  /** `trigger_registry.unregister_worker`: drop the connection's bindings, then its trigger types. */
  /** Returns whether the connection provided any trigger type (the registry changed). */
  removeConnection(connection: WorkerConnection): boolean {
    for (const trigger of [...this.state.triggers.values()]) {
      if (trigger.owner !== connection) continue;
      this.state.triggers.delete(trigger.id);
      if (!trigger.parked) this.withdraw(trigger);
    }
    let changed = false;
    for (const type of [...this.state.triggerTypes.values()]) {
      if (type.provider !== connection) continue;
      this.state.triggerTypes.delete(type.id, type.namespace);
      changed = true;
      // Other workers' bindings wait for the type to come back (≥ 0.13); 0.11 leaves them listed as they were.
      if (!this.rules.parkTriggersOfRemovedType) continue;
      for (const trigger of this.state.triggers.values()) if (trigger.trigger_type === type.id && !this.typeOf(trigger)) trigger.parked = true;
    }
    return changed;
  }

  /** Invokes every function bound to an engine type (the engine's `fire_triggers`); results are discarded. */
  fire(typeId: string, data: Json): void {
    for (const trigger of this.state.activeTriggers()) {
      if (trigger.trigger_type === typeId && this.typeOf(trigger)?.namespace === DEFAULT_NAMESPACE) {
        this.invocations.fromEngine(trigger.function_id, trigger.namespace, data, trigger.metadata);
      }
    }
  }

  /** Whether any live binding listens to an engine type (so building its payload is worth it). */
  hasListeners(typeId: string): boolean {
    return this.state.activeTriggers().some((t) => t.trigger_type === typeId);
  }

  private deliver(type: TriggerTypeEntry, trigger: TriggerEntry): void {
    const frame: Record<string, unknown> = {
      type: 'registertrigger',
      id: trigger.id,
      trigger_type: trigger.trigger_type,
      function_id: trigger.function_id,
      config: trigger.config,
    };
    if (trigger.metadata !== undefined) frame.metadata = trigger.metadata;
    type.provider?.send(frame);
  }

  private withdraw(trigger: TriggerEntry): void {
    this.typeOf(trigger)?.provider?.send({ type: 'unregistertrigger', id: trigger.id, trigger_type: trigger.trigger_type });
  }
}
