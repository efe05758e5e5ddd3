/**
 * The workers CI's `collect_worker_interface.py` at HEAD (spec publish-pipeline §4.3, §5), re-implemented
 * faithfully as the benchmark's reference: every engine call is a NEW `iii trigger` process
 * (`iii-trigger-cli.js`); `engine::workers::list` is polled every 2 s until exactly one worker is named after
 * the folder; then `engine::functions::list {include_internal:true}` and
 * `engine::trigger-types::list {include_internal:false}`; normalize; write `{functions, triggers}` with indent 2.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

type Row = Record<string, any>;

export interface ReferenceOptions {
  /** The compiled `iii-trigger-cli.js`. */
  cliScript: string;
  port: number;
  /** The worker folder's name (the registry worker name). */
  folder: string;
  outputFile: string;
  waitSeconds?: number;
  /** The CI polls every 2 s. */
  pollIntervalMs?: number;
}

export interface ReferenceResult {
  /** Wall time of each `iii trigger` process, in call order. */
  callMs: number[];
  polls: number;
  /** `performance.now()` when a poll first answered with the worker (by name/id or namespace); what the seed PR calls "registers". */
  workerSeenAt?: number;
}

/** `run_iii(fid, payload)`: `iii trigger --function-id <fid> --payload <json>`, check=True, timeout=30, json.loads(stdout). */
function runIii(options: ReferenceOptions, functionId: string, payload: unknown, callMs: number[]): Promise<Row> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [options.cliScript, `--function-id=${functionId}`, `--payload=${JSON.stringify(payload)}`, '--address', '127.0.0.1', '--port', String(options.port)],
      { timeout: 30_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        callMs.push(performance.now() - started);
        if (error) return reject(new Error(`iii trigger ${functionId} failed: ${error.message}\n${stderr}`));
        try {
          resolve(JSON.parse(stdout) as Row);
        } catch (parseError) {
          reject(new Error(`iii trigger ${functionId} printed no JSON: ${(parseError as Error).message}`));
        }
      },
    );
  });
}

/** `wait_for_worker(name, wait_seconds=120)`: returns the last snapshot, also when it never matched. */
async function waitForWorker(options: ReferenceOptions, callMs: number[]): Promise<{ workers: Row[]; polls: number; workerSeenAt?: number }> {
  const deadline = Date.now() + (options.waitSeconds ?? 120) * 1000;
  let polls = 0;
  let workerSeenAt: number | undefined;
  for (;;) {
    polls++;
    const { workers = [] } = await runIii(options, 'engine::workers::list', {}, callMs);
    if (workerSeenAt === undefined && findWorker(workers as Row[], options.folder)) workerSeenAt = performance.now();
    const named = (workers as Row[]).filter((w) => w.name === options.folder || w.id === options.folder);
    if (named.length === 1 || Date.now() >= deadline) return { workers, polls, workerSeenAt };
    await sleep(options.pollIntervalMs ?? 2000);
  }
}

/** `_match_worker(workers, folder)` (#69): by name/id, else by the `<folder with - → _>::` namespace. */
function matchWorker(workers: Row[], folder: string): Row {
  const found = findWorker(workers, folder);
  if (found) return found;
  const { byName, byNamespace, namespace } = candidates(workers, folder);
  throw new Error(`could not match worker '${folder}': ${byName.length} by name/id, ${byNamespace.length} by namespace '${namespace}'`);
}

function findWorker(workers: Row[], folder: string): Row | undefined {
  const { byName, byNamespace } = candidates(workers, folder);
  if (byName.length === 1) return byName[0];
  if (byNamespace.length === 1) return byNamespace[0];
  return undefined;
}

function candidates(workers: Row[], folder: string): { byName: Row[]; byNamespace: Row[]; namespace: string } {
  const byName = workers.filter((w) => w.name === folder || w.id === folder);
  const namespace = `${folder.replace(/-/g, '_')}::`;
  const byNamespace = workers.filter((w) => (w.functions ?? []).some((id: string) => String(id).startsWith(namespace)));
  return { byName, byNamespace, namespace };
}

const isObject = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);
const objectOrEmpty = (value: unknown, what: string): Row => {
  if (value === null || value === undefined) return {};
  if (!isObject(value)) throw new Error(`function schema fields must be objects or null (${what})`);
  return value;
};

/** `derive_registry_function_name` (#72): metadata.registry_name, then metadata.name, else the full id. */
function registryName(functionId: string, metadata: Row): string {
  for (const key of ['registry_name', 'name']) {
    const value = metadata[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return functionId;
}

/** `normalize_worker_interface(...)`: functions from the worker row's ids, trigger types minus `engine::*`. */
function normalize(worker: Row, functionsJson: Row, triggerTypesJson: Row | null): { functions: Row[]; triggers: Row[] } {
  const details = new Map<string, Row>((functionsJson.functions ?? []).map((fn: Row) => [String(fn.function_id), fn]));
  const ids: string[] = (worker.functions ?? []).map(String);
  const missing = ids.filter((id) => !details.has(id));
  if (missing.length > 0) throw new Error(`missing function details for worker functions: ${missing.join(', ')}`);
  const functions = ids.map((id) => {
    const fn = details.get(id)!;
    const metadata = objectOrEmpty(fn.metadata, `${id}.metadata`);
    return {
      name: registryName(id, metadata),
      description: typeof fn.description === 'string' ? fn.description : '',
      request_schema: objectOrEmpty(fn.request_format, `${id}.request_format`),
      response_schema: objectOrEmpty(fn.response_format, `${id}.response_format`),
      metadata,
    };
  });
  const triggers = ((triggerTypesJson?.trigger_types ?? []) as Row[])
    .filter((t) => typeof t.id === 'string' && !t.id.startsWith('engine::'))
    .map((t) => ({
      name: t.id,
      description: typeof t.description === 'string' ? t.description : '',
      invocation_schema: isObject(t.trigger_request_format) ? t.trigger_request_format : {},
      return_schema: isObject(t.call_request_format) ? t.call_request_format : {},
      metadata: {},
    }));
  return { functions, triggers };
}

/** The whole reference collection, started right after the worker was spawned. */
export async function referenceCollect(options: ReferenceOptions): Promise<ReferenceResult> {
  const callMs: number[] = [];
  const { workers, polls, workerSeenAt } = await waitForWorker(options, callMs);
  const functionsJson = await runIii(options, 'engine::functions::list', { include_internal: true }, callMs);
  let triggerTypesJson: Row | null = null;
  try {
    triggerTypesJson = await runIii(options, 'engine::trigger-types::list', { include_internal: false }, callMs);
  } catch {
    // CWI: "::warning::could not collect trigger types; publishing triggers=[]"
  }
  const iface = normalize(matchWorker(workers, options.folder), functionsJson, triggerTypesJson);
  if (iface.functions.length === 0) throw new Error(`reference: worker ${options.folder} has no functions`);
  writeFileSync(options.outputFile, JSON.stringify(iface, null, 2));
  return { callMs, polls, workerSeenAt };
}
