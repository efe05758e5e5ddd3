/** Generation-neutral views of what the engine lists; the introspection layer maps both generations onto these. */
export interface EngineWorker {
  id: string;
  name: string | null;
  runtime: string | null;
  /** Engine-owned in-process workers (`runtime: "engine"`) are never the worker being collected. */
  internal: boolean;
  /** Self-reported process id (legacy lists carry it; current engines only in `workers::info`). */
  pid?: number;
  /** The worker's namespace (engine ≥ 0.23 lists it); every `::info` call about the worker must pass it. */
  namespace?: string;
}

export interface EngineFunction {
  function_id: string;
  description?: unknown;
  request_schema?: unknown;
  response_schema?: unknown;
  metadata?: unknown;
}

export interface EngineTriggerType {
  id: string;
  description?: unknown;
  invocation_schema?: unknown;
  return_schema?: unknown;
}

/** What a worker has registered at one moment: what settling compares from read to read. */
export interface WorkerRegistration {
  functionIds: string[];
  triggerTypeIds: string[];
}
