import { randomUUID } from 'node:crypto';
import { BuiltinError, InputReader, type BuiltinFunction } from './builtin-function';
import { isConnectionOwned, type EngineState } from './engine-state';
import type { EngineLog } from './engine-log';
import type { GenerationRules } from './generation';
import { DEFAULT_NAMESPACE } from './namespaced-map';
import { isJsonObject, sortJsonKeys, type ErrorBody, type Json, type WorkerMessage } from './protocol';
import type { WorkerConnection } from './worker-connection';

export type Outcome = { result?: unknown } | { error: ErrorBody };

interface CallContext {
  caller?: WorkerConnection;
  invocationId?: string;
  traceparent?: string;
  baggage?: string;
  metadata?: Json;
}

const ENQUEUE_PROVIDER = 'engine::queue::enqueue';

/** Engine services a real engine provides through its configured workers, and this engine does not (spec iii-engine-0.23 §2). */
const ENGINE_SERVICES: [RegExp, string][] = [
  [/^state::/, 'state (iii-state)'],
  [/^stream::/, 'stream (iii-stream)'],
  [/^(publish$|pubsub::)/, 'pubsub (iii-pubsub)'],
  [/^http(::|$)/, 'HTTP (iii-http)'],
  [/^cron::/, 'cron (iii-cron)'],
  [/^engine::channels::/, 'channels'],
  [/^engine::(traces|logs|metrics|rollups|alerts|sampling|baggage)::/, 'observability (iii-observability)'],
  [/^engine::queue::/, 'queue (iii-queue)'],
  [/^engine::/, 'the engine'],
];

function missingServiceNote(functionId: string): string {
  const service = ENGINE_SERVICES.find(([pattern]) => pattern.test(functionId))?.[1];
  return service ? `; it belongs to ${service}, which the embedded engine does not provide` : '';
}
const STOPPED: ErrorBody = { code: 'invocation_stopped', message: 'Invocation stopped' };

type InvokeMessage = Extract<WorkerMessage, { type: 'invokefunction' }>;
type ResultMessage = Extract<WorkerMessage, { type: 'invocationresult' }>;

function resultFrame(invocationId: string, functionId: string, outcome: Outcome, traceparent?: string, baggage?: string): object {
  const frame: Record<string, unknown> = { type: 'invocationresult', invocation_id: invocationId, function_id: functionId };
  if ('error' in outcome) frame.error = outcome.error;
  // `result: Option<Value>` on the engine: a null result is omitted, not relayed.
  else if (outcome.result !== undefined && outcome.result !== null) frame.result = outcome.result;
  if (traceparent !== undefined) frame.traceparent = traceparent;
  if (baggage !== undefined) frame.baggage = baggage;
  return frame;
}

/** Routes `invokefunction` to builtins or to the owning connection and relays `invocationresult` back (spec §2.4). */
export class InvocationRouter {
  /** In-flight calls to worker functions, by invocation id: how to settle each one. */
  private readonly pending = new Map<string, (outcome: Outcome) => void>();

  constructor(
    private readonly state: EngineState,
    private readonly rules: GenerationRules,
    private readonly log: EngineLog,
  ) {}

  fromWorker(caller: WorkerConnection, msg: InvokeMessage): void {
    const { function_id: functionId, traceparent, baggage } = msg;
    // The engine only replies when the caller sent an id and did not ask for a void call.
    const replyId = msg.action?.type === 'void' ? undefined : msg.invocation_id;
    const reply = (outcome: Outcome) => {
      if (replyId) caller.send(resultFrame(replyId, functionId, outcome, traceparent, baggage));
    };

    if (msg.action?.type === 'enqueue') {
      const receiptId = randomUUID();
      const job = { queue: msg.action.queue, function_id: functionId, data: msg.data, messageReceiptId: receiptId, traceparent: traceparent ?? null, baggage: baggage ?? null };
      this.invoke(ENQUEUE_PROVIDER, DEFAULT_NAMESPACE, job, {}, (outcome) => {
        if (!('error' in outcome)) return reply({ result: { messageReceiptId: receiptId } });
        const message =
          outcome.error.code === 'function_not_found'
            ? `No queue provider is installed. \`TriggerAction::Enqueue\` routes through the \`${ENQUEUE_PROVIDER}\` provider, which the standalone queue worker registers. Add it with \`iii worker add queue\`. (underlying: ${outcome.error.message})`
            : `${outcome.error.code}: ${outcome.error.message}`;
        reply({ error: { code: 'enqueue_error', message } });
      });
      return;
    }

    const data = isJsonObject(msg.data) ? sortJsonKeys({ ...msg.data, _caller_worker_id: caller.id }) : msg.data;
    const namespace = msg.namespace ?? DEFAULT_NAMESPACE;
    this.invoke(functionId, namespace, data, { caller, invocationId: replyId, traceparent, baggage, metadata: msg.metadata }, (outcome) => {
      // A worker that crashes on a missing engine service is explained by the engine log tail.
      if ('error' in outcome && outcome.error.code === 'function_not_found') {
        const who = caller.name ? `${caller.name} (${caller.id})` : caller.id;
        this.log.write('WARN', `function_not_found: worker ${who} called ${functionId} in namespace "${namespace}"${missingServiceNote(functionId)}`);
      }
      reply(outcome);
    });
  }

  /** An engine-originated call (trigger fan-out): the outcome is discarded. */
  fromEngine(functionId: string, namespace: string, data: Json, metadata?: Json): void {
    this.invoke(functionId, namespace, data, { metadata }, () => undefined);
  }

  result(from: WorkerConnection, msg: ResultMessage): void {
    from.invocations.delete(msg.invocation_id);
    const settle = this.pending.get(msg.invocation_id);
    if (!settle) return; // caller already gone or never existed: dropped silently, like the engine
    this.pending.delete(msg.invocation_id);
    settle(msg.error ? { error: msg.error } : { result: msg.result });
  }

  /** A closing connection: every call it takes part in ends with `invocation_stopped`. */
  haltInvocationsOf(connection: WorkerConnection): void {
    for (const invocationId of connection.invocations) {
      const settle = this.pending.get(invocationId);
      if (!settle) continue;
      this.pending.delete(invocationId);
      settle({ error: STOPPED });
    }
    connection.invocations.clear();
  }

  private notFound(functionId: string, namespace: string): ErrorBody {
    if (!this.rules.namespacedNotFoundMessage) return { code: 'function_not_found', message: `Function ${functionId} not found` };
    const elsewhere = this.state.functions.namespacesOf(functionId);
    const hint = elsewhere.length > 0 ? ` It is registered in namespace(s): ${elsewhere.join(', ')}.` : '';
    return { code: 'function_not_found', message: `Function ${functionId} not found in namespace ${namespace}.${hint}` };
  }

  private invoke(functionId: string, namespace: string, data: Json, ctx: CallContext, settle: (outcome: Outcome) => void): void {
    const fn = this.state.functions.get(functionId, namespace);
    if (!fn) return settle({ error: this.notFound(functionId, namespace) });
    if (!isConnectionOwned(fn)) return settle(this.callBuiltin(fn.owner as BuiltinFunction, data, ctx.caller));

    const callee = fn.owner;
    // The callee sees the caller's id; void and engine calls get a fresh one (the engine awaits and drops the result).
    const invocationId = ctx.invocationId ?? randomUUID();
    const { caller } = ctx;
    if (ctx.invocationId) caller?.invocations.add(invocationId);
    callee.invocations.add(invocationId);
    this.pending.set(invocationId, (outcome) => {
      caller?.invocations.delete(invocationId);
      callee.invocations.delete(invocationId);
      settle(outcome);
    });

    const frame: Record<string, unknown> = { type: 'invokefunction', invocation_id: invocationId, function_id: functionId, data };
    if (ctx.traceparent !== undefined) frame.traceparent = ctx.traceparent;
    if (ctx.baggage !== undefined) frame.baggage = ctx.baggage;
    if (ctx.metadata !== undefined && this.rules.forwardInvocationMetadata) frame.metadata = ctx.metadata;
    callee.send(frame);
  }

  private callBuiltin(fn: BuiltinFunction, data: Json, caller?: WorkerConnection): Outcome {
    try {
      return { result: fn.handler(new InputReader(fn.id, data), { caller }) };
    } catch (error) {
      if (error instanceof BuiltinError) return { error: error.toErrorBody() };
      return { error: { code: 'invocation_failed', message: error instanceof Error ? error.message : String(error) } };
    }
  }

  clear(): void {
    this.pending.clear();
  }
}
