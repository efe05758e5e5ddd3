import { EngineInvocationError, type EngineClient } from '../engine-client/engine-client';
import type { EngineFunction, EngineTriggerType, EngineWorker, WorkerRegistration } from './engine-records';
import type { WorkerCandidate } from './match-worker';

export type EngineGeneration = 'current' | 'legacy';

export interface WorkerDetails {
  functionIds: string[];
  functionDetails: Map<string, EngineFunction>;
  triggerTypes: EngineTriggerType[];
}

/** What the collector needs from an engine, whatever its generation (spec iii-protocol §4.1 vs §4.2). */
export interface EngineIntrospection {
  readonly generation: EngineGeneration;
  /**
   * Whether the engine has trigger types, so events can be subscribed with `registertrigger` (known once
   * `listTriggerTypeIds` answered). Engines from 0.26 on answer `engine::triggers::*` with `function_not_found`.
   */
  readonly hasTriggerTypes: boolean;
  listWorkers(): Promise<EngineWorker[]>;
  listTriggerTypeIds(): Promise<string[]>;
  /** Workers not in `knownIds`, with the ids of the functions they registered. */
  listNewCandidates(knownIds: ReadonlySet<string>): Promise<WorkerCandidate[]>;
  /** What the worker has registered right now, or null once it is no longer connected. */
  readRegistration(worker: WorkerCandidate): Promise<WorkerRegistration | null>;
  gatherDetails(worker: WorkerCandidate): Promise<WorkerDetails>;
}

/** The matched worker left the engine before its interface could be read. */
export class WorkerGoneError extends Error {
  constructor(worker: WorkerCandidate) {
    super(
      `worker ${worker.name ?? worker.id} (id ${worker.id}) disconnected from the engine while it was registering; ` +
        `no interface was written rather than a partial one. Check the worker log for why it stopped.`,
    );
    this.name = 'WorkerGoneError';
  }
}

type Row = Record<string, any>;
/** `engine::functions::info` takes at most 32 ids per call (spec iii-protocol §4.1). */
const FUNCTIONS_INFO_BATCH = 32;
const FUNCTIONS_INFO_IN_FLIGHT = 8;

/** Runs `task` over `items` with at most `limit` running at once; rejects with the first failure. */
async function forEachConcurrently<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runner = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, runner));
}

const toWorker = (row: Row): EngineWorker => ({
  id: String(row.id),
  name: typeof row.name === 'string' ? row.name : null,
  runtime: typeof row.runtime === 'string' ? row.runtime : null,
  internal: row.runtime === 'engine' || row.internal === true,
  ...(typeof row.pid === 'number' ? { pid: row.pid } : {}),
  ...(typeof row.namespace === 'string' ? { namespace: row.namespace } : {}),
});

/**
 * Engine 0.23 resolves a bare name or id in `default` first, so every `::info` call about a namespaced worker must
 * name its namespace (spec iii-engine-0.23 §1.3). Engines without namespaces list none, and ignore the key anyway.
 */
const inNamespace = (namespace: string | undefined) => (namespace === undefined ? {} : { namespace });

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

const sorted = (ids: string[]) => [...new Set(ids)].sort();

/**
 * `engine::triggers::*` of an engine that may have no trigger types (0.26 dropped them, iii-sdk 0.26.0-rc.4 crate
 * `src/engine.rs:14-22`): `function_not_found` reads as "none", never as a failure.
 */
async function unlessTriggersGone<T>(call: () => Promise<T>, none: T, gone: () => void): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof EngineInvocationError && error.code === 'function_not_found')) throw error;
    gone();
    return none;
  }
}

function legacyIntrospection(client: EngineClient): EngineIntrospection {
  const listRows = async () => ((await client.invoke<{ workers?: Row[] }>('engine::workers::list', {})).workers ?? []);
  const functionIdsOf = (row: Row) => (Array.isArray(row.functions) ? row.functions.map(String) : []);
  const findRow = async (worker: WorkerCandidate) => (await listRows()).find((row) => String(row.id) === worker.id);
  const listTriggerTypes = async () =>
    (await client.invoke<{ trigger_types?: Row[] }>('engine::trigger-types::list', { include_internal: false })).trigger_types ?? [];
  return {
    generation: 'legacy',
    hasTriggerTypes: true,
    listWorkers: async () => (await listRows()).map(toWorker),
    async listTriggerTypeIds() {
      const { trigger_types = [] } = await client.invoke<{ trigger_types?: Row[] }>('engine::trigger-types::list', { include_internal: true });
      return trigger_types.map((t) => String(t.id));
    },
    async listNewCandidates(knownIds) {
      return (await listRows()).filter((row) => !knownIds.has(String(row.id))).map((row) => ({ ...toWorker(row), functionIds: functionIdsOf(row) }));
    },
    async readRegistration(worker) {
      const [row, triggerTypes] = await Promise.all([findRow(worker), listTriggerTypes()]);
      // Legacy trigger types are not worker-scoped: the collector removes the baseline taken before the worker started.
      return row ? { functionIds: sorted(functionIdsOf(row)), triggerTypeIds: sorted(triggerTypes.map((t) => String(t.id))) } : null;
    },
    async gatherDetails(worker) {
      const [row, { functions = [] }, triggerTypeRows] = await Promise.all([
        findRow(worker),
        client.invoke<{ functions?: Row[] }>('engine::functions::list', { include_internal: true }),
        listTriggerTypes(),
      ]);
      if (!row) throw new WorkerGoneError(worker);
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
      const triggerTypes = triggerTypeRows.map((t) => ({
        id: String(t.id),
        description: t.description,
        invocation_schema: t.trigger_request_format,
        return_schema: t.call_request_format,
      }));
      return { functionIds: functionIdsOf(row), functionDetails, triggerTypes };
    },
  };
}

function currentIntrospection(client: EngineClient): EngineIntrospection {
  const listRows = async () => ((await client.invoke<{ workers?: Row[] }>('engine::workers::list', {})).workers ?? []);
  /** `workers::info` of the worker, or null when the engine no longer knows it. */
  const workerInfo = async (worker: EngineWorker): Promise<Row | null> => {
    if (worker.name === null) return null;
    let info: Row;
    try {
      info = await client.invoke<Row>('engine::workers::info', { name: worker.name, ...inNamespace(worker.namespace) });
    } catch (error) {
      if (error instanceof EngineInvocationError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
    if (info.worker?.id !== undefined && String(info.worker.id) !== worker.id) {
      throw new Error(
        `two workers named "${worker.name}" are connected to the engine${worker.namespace ? ` in namespace "${worker.namespace}"` : ''} ` +
          `(ids ${worker.id} and ${info.worker.id}); stop the other one or give this worker a unique name`,
      );
    }
    return info;
  };
  const functionIdsOf = (info: Row) => ((info.functions ?? []) as Row[]).map((f) => String(f.function_id));
  const triggerTypeRowsOf = (info: Row) => (Array.isArray(info.trigger_types) ? info.trigger_types : []) as Row[];
  let hasTriggerTypes = true;
  const triggersGone = () => (hasTriggerTypes = false);
  return {
    generation: 'current',
    get hasTriggerTypes() {
      return hasTriggerTypes;
    },
    listWorkers: async () => (await listRows()).map(toWorker),
    async listTriggerTypeIds() {
      const { triggers } = await unlessTriggersGone(
        () => client.invoke<{ triggers?: Row[] }>('engine::triggers::list', { include_internal: true }),
        { triggers: [] },
        triggersGone,
      );
      return (Array.isArray(triggers) ? triggers : []).map((t) => String(t.id));
    },
    async listNewCandidates(knownIds) {
      const fresh = (await listRows()).map(toWorker).filter((w) => !knownIds.has(w.id) && !w.internal);
      return Promise.all(
        fresh.map(async (worker) => {
          // null: the worker disconnected between the two calls, so it simply is no candidate any more.
          const info = await workerInfo(worker);
          if (!info) return { ...worker, functionIds: [] };
          const pid = typeof info.worker?.pid === 'number' ? { pid: info.worker.pid as number } : {};
          return { ...worker, ...pid, functionIds: functionIdsOf(info) };
        }),
      );
    },
    async readRegistration(worker) {
      const info = await workerInfo(worker);
      return info ? { functionIds: sorted(functionIdsOf(info)), triggerTypeIds: sorted(triggerTypeRowsOf(info).map((t) => String(t.id))) } : null;
    },
    async gatherDetails(worker) {
      const info = await workerInfo(worker);
      if (!info) throw new WorkerGoneError(worker);
      const functionIds = functionIdsOf(info);
      const functionDetails = new Map<string, EngineFunction>();
      const batches: string[][] = [];
      for (let i = 0; i < functionIds.length; i += FUNCTIONS_INFO_BATCH) batches.push(functionIds.slice(i, i + FUNCTIONS_INFO_BATCH));
      // Several batches in flight: the engine answers one while the next request is on its way.
      await forEachConcurrently(batches, FUNCTIONS_INFO_IN_FLIGHT, async (batch) => {
        const { functions = [] } = await client.invoke<{ functions?: Row[] }>('engine::functions::info', {
          function_ids: batch,
          ...inNamespace(worker.namespace),
        });
        for (const fn of functions) if (!fn.error) functionDetails.set(String(fn.function_id), fn as EngineFunction);
      });
      const triggerTypes = await Promise.all(
        triggerTypeRowsOf(info).map(async (summary) => {
          const namespace = typeof summary.namespace === 'string' ? summary.namespace : worker.namespace;
          const detail = await unlessTriggersGone(
            () => client.invoke<Row>('engine::triggers::info', { id: summary.id, ...inNamespace(namespace) }),
            {} as Row,
            triggersGone,
          );
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
