import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(__dirname, 'raw-protocol-worker.js');

export interface RawWorkerSpec {
  /** Self-reported name; also the function id prefix unless `prefix` is given. */
  name: string;
  prefix?: string;
  /** `<prefix>::fn-000` … */
  functionCount?: number;
  /** Explicit function ids, registered before the counted ones. */
  functionIds?: string[];
  triggerTypes?: string[];
  /** Functions are described `<description> <index>` (default "Function"). */
  description?: string;
  /** 'register-first' (iii-sdk 0.23, default) or 'register-last' (iii-sdk 0.22.1). */
  order?: 'register-first' | 'register-last';
  /** Pause after every `pauseEvery`-th (default: every) registration frame. */
  delayMs?: number;
  pauseEvery?: number;
  /** Registered this long after the initial burst. */
  lateFunctions?: { id: string; afterMs: number }[];
  /** Exits with code 3 instead of registering the function with this index. */
  exitAfterFunctions?: number;
  unregister?: { id: string; afterMs: number };
  /** Sends `calls` `engine::log::info` calls back to back before registering the function with index `afterFunctions`. */
  logFlood?: { afterFunctions: number; calls: number };
  /** Sends a text frame that is not valid UTF-8 before registering the function with this index. */
  badUtf8AfterFunctions?: number;
  /** Never answers the engine's WebSocket pings. */
  noPong?: boolean;
  /** Speak like iii-sdk 0.25 / 0.26: `features` in the register data, observe frames, 0.26 withheld functions. */
  sdkLine?: '0.25' | '0.26';
  /** 0.25: functions registered with an `observe` descriptor (owner delivery, args_format). */
  observableFunctions?: string[];
  /** 0.26: functions with `args_format` and `private: true`, sent only after an engine that advertised observe.v2. */
  v2Functions?: string[];
  /** Sends an `observe` frame once the engine advertised observe.v1. */
  observe?: boolean;
  /** The register data carries `namespace: null` and `description: null`, as Python sends them. */
  pythonNulls?: boolean;
  /** One function whose frame is sent as a Text frame plus Continuation frames, `bytes` long. */
  fragmented?: { id: string; bytes: number };
}

/** Starts raw-protocol-worker.js in a child `node` process; `namespace` becomes its III_NAMESPACE. */
export function startRawWorker(url: string, spec: RawWorkerSpec, options: { namespace?: string } = {}): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, III_URL: url, RAW_WORKER: JSON.stringify(spec) };
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the child
  delete env.III_NAMESPACE;
  if (options.namespace) env.III_NAMESPACE = options.namespace;
  return spawn(process.execPath, [SCRIPT], { env, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Kills the child (if still running) and waits for it to be gone. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
