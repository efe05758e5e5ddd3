import { EngineInvocationError, type EngineClient } from '../engine-client/engine-client';
import type { EngineFunction, EngineTriggerType, EngineWorker } from './engine-records';
import type { WorkerCandidate } from './match-worker';

export type EngineGeneration = 'current' | 'legacy';

/** What the collector needs from an engine, whatever its generation (spec iii-protocol §4.1 vs §4.2). */
export interface EngineIntrospection {
  readonly generation: EngineGeneration;
  listWorkers(): Promise<EngineWorker[]>;
  listTriggerTypeIds(): Promise<string[]>;
  /** Workers not in `knownIds`, with the ids of the functions they registered. */
  listNewCandidates(knownIds: ReadonlySet<string>): Promise<WorkerCandidate[]>;
  gatherDetails(worker: WorkerCandidate): Promise<{ functionIds: string[]; functionDetails: Map<string, EngineFunction>; triggerTypes: EngineTriggerType[] }>;
}

type Row = Record<string, any>;
const FUNCTIONS_INFO_BATCH = 32;

const toWorker = (row: Row): EngineWorker => ({
  id: String(row.id),
  name: typeof row.name === 'string' ? row.name : null,
  runtime: typeof row.runtime === 'string' ? row.runtime : null,
  internal: row.runtime === 'engine' || row.internal === true,
  ...(typeof row.pid === 'number' ? { pid: row.pid } : {}),
});

/**
 * ≥0.13 removed `engine::trigger-types::list`; an engine that still answers it has the legacy shapes. This is the
 * probe the protocol spec recommends (§4.3).
 */
export async function detectGeneration(client: EngineClient): Promise<EngineGeneration> {
  try {
    await client.invoke('engine::trigger-types::list', { include_internal: true });
    return 'legacy';
  } catch (error) {
    if (error instanceof EngineInvocationError && error.code === 'function_not_found') return 'current';
    throw error;
  }
}

export function introspectionFor(client: EngineClient, generation: EngineGeneration): EngineIntrospection {
  return generation === 'legacy' ? legacyIntrospection(client) : currentIntrospection(client);
}

function legacyIntrospection(client: EngineClient): EngineIntrospection {
  const listRows = async () => ((await client.invoke<{ workers?: Row[] }>('engine::workers::list', {})).workers ?? []);
  return {
    generation: 'legacy',
    listWorkers: async () => (await listRows()).map(toWorker),
    async listTriggerTypeIds() {
      const { trigger_types = [] } = await client.invoke<{ trigger_types?: Row[] }>('engine::trigger-types::list', { include_internal: true });
      return trigger_types.map((t) => String(t.id));
    },
    async listNewCandidates(knownIds) {
      return (await listRows())
        .filter((row) => !knownIds.has(String(row.id)))
        .map((row) => ({ ...toWorker(row), functionIds: Array.isArray(row.functions) ? row.functions.map(String) : [] }));
    },
    async gatherDetails(worker) {
      const [{ functions = [] }, { trigger_types = [] }] = await Promise.all([
        client.invoke<{ functions?: Row[] }>('engine::functions::list', { include_internal: true }),
        client.invoke<{ trigger_types?: Row[] }>('engine::trigger-types::list', { include_internal: false }),
      ]);
      const functionDetails = new Map<string, EngineFunction>();
      for (const fn of functions) {
        functionDetails.set(String(fn.function_id), {
          function_id: String(fn.function_id),
          description: fn.description,
          request_schema: fn.request_format,
          response_schema: fn.response_format,
          metadata: fn.metadata,
        });
      }
      // Legacy trigger types are not worker-scoped: the caller removes the baseline taken before the worker started.
      const triggerTypes = trigger_types.map((t) => ({
        id: String(t.id),
        description: t.description,
        invocation_schema: t.trigger_request_format,
        return_schema: t.call_request_format,
      }));
      return { functionIds: worker.functionIds, functionDetails, triggerTypes };
    },
  };
}

function currentIntrospection(client: EngineClient): EngineIntrospection {
  const listRows = async () => ((await client.invoke<{ workers?: Row[] }>('engine::workers::list', {})).workers ?? []);
  const workerInfo = async (worker: EngineWorker) => {
    const info = await client.invoke<Row>('engine::workers::info', { name: worker.name });
    if (info.worker?.id !== undefined && String(info.worker.id) !== worker.id) {
      throw new Error(
        `two workers named "${worker.name}" are connected to the engine (ids ${worker.id} and ${info.worker.id}); ` +
          `stop the other one or give this worker a unique name`,
      );
    }
    return info;
  };
  return {
    generation: 'current',
    listWorkers: async () => (await listRows()).map(toWorker),
    async listTriggerTypeIds() {
      const { triggers = [] } = await client.invoke<{ triggers?: Row[] }>('engine::triggers::list', { include_internal: true });
      return triggers.map((t) => String(t.id));
    },
    async listNewCandidates(knownIds) {
      const fresh = (await listRows()).map(toWorker).filter((w) => !knownIds.has(w.id) && !w.internal);
      return Promise.all(
        fresh.map(async (worker) => {
          if (worker.name === null) return { ...worker, functionIds: [] };
          try {
            const info = await workerInfo(worker);
            const pid = typeof info.worker?.pid === 'number' ? { pid: info.worker.pid as number } : {};
            return { ...worker, ...pid, functionIds: ((info.functions ?? []) as Row[]).map((f) => String(f.function_id)) };
          } catch (error) {
            // The worker disconnected between the two calls: it simply is no candidate any more.
            if (error instanceof EngineInvocationError && error.code === 'NOT_FOUND') return { ...worker, functionIds: [] };
            throw error;
          }
        }),
      );
    },
    async gatherDetails(worker) {
      const info = await workerInfo(worker);
      const functionIds = ((info.functions ?? []) as Row[]).map((f) => String(f.function_id));
      const functionDetails = new Map<string, EngineFunction>();
      for (let i = 0; i < functionIds.length; i += FUNCTIONS_INFO_BATCH) {
        const batch = functionIds.slice(i, i + FUNCTIONS_INFO_BATCH);
        const { functions = [] } = await client.invoke<{ functions?: Row[] }>('engine::functions::info', { function_ids: batch });
        for (const fn of functions) if (!fn.error) functionDetails.set(String(fn.function_id), fn as EngineFunction);
      }
      const triggerTypes = await Promise.all(
        ((info.trigger_types ?? []) as Row[]).map(async (summary) => {
          const detail = await client.invoke<Row>('engine::triggers::info', { id: summary.id });
          return {
            id: String(detail.id ?? summary.id),
            description: detail.description ?? summary.description,
            invocation_schema: detail.configuration_schema,
            return_schema: detail.request_schema,
          };
        }),
      );
      return { functionIds, functionDetails, triggerTypes };
    },
  };
}
