import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { EngineEvent, RunningEngine } from '../embedded-engine';

const FIXTURE = path.join(__dirname, 'sdk-worker.js');
const WAIT_MS = 15_000;

export type SdkPackage = 'iii-sdk' | 'iii-sdk-0-11';
export type WorkerRole = 'provider' | 'consumer' | 'watcher' | 'plain';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface FixtureEvent { event: string; data: any }

/** A real iii-sdk worker in a child `node` process (see sdk-worker.js), driven over stdin/stdout. */
export class SdkWorkerProcess {
  readonly events: FixtureEvent[] = [];
  private readonly listeners = new Set<() => void>();
  private stderr = '';
  private nextCallId = 1;
  readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('@@')) return;
      this.events.push(JSON.parse(line.slice(2)) as FixtureEvent);
      for (const listener of this.listeners) listener();
    });
    child.stderr!.on('data', (chunk) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static start(options: { url: string; sdk: SdkPackage; role: WorkerRole; name: string }): SdkWorkerProcess {
    const env: NodeJS.ProcessEnv = { ...process.env, III_URL: options.url, SDK_PACKAGE: options.sdk, WORKER_ROLE: options.role, WORKER_NAME: options.name };
    delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the fixture
    const child = spawn(process.execPath, [FIXTURE], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    return new SdkWorkerProcess(options.name, child);
  }

  /** Waits for the first fixture event named `event` that satisfies `match`. */
  waitFor(event: string, match: (data: FixtureEvent['data']) => boolean = () => true, timeoutMs = WAIT_MS): Promise<FixtureEvent['data']> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.find((e) => e.event === event && match(e.data));
        if (!found) return;
        cleanup();
        resolve(found.data);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.name}: no "${event}" event within ${timeoutMs} ms; events: ${JSON.stringify(this.events)}; stderr: ${this.stderr}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Calls a function through the worker's SDK (`iii.trigger`); resolves with `{result}` or `{error: {code, message}}`. */
  call(functionId: string, payload: unknown, options: { void?: boolean; timeoutMs?: number } = {}): Promise<FixtureEvent['data']> {
    const id = this.nextCallId++;
    this.child.stdin!.write(JSON.stringify({ id, function_id: functionId, payload, ...options }) + '\n');
    return this.waitFor('result', (data) => data.id === id);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}

/** Resolves when the engine sees `engine::workers::register` from a worker with this name (subscribe before starting it). */
export function registrationOf(engine: RunningEngine, name: string, timeoutMs = WAIT_MS): Promise<EngineEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`worker "${name}" did not register within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = engine.subscribe((event) => {
      if (event.type !== 'worker-registered' || event.name !== name) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    });
  });
}

/** Starts a fixture worker and waits until it has registered (its registrations precede the register call). */
export async function startRegisteredWorker(
  engine: RunningEngine,
  options: { sdk: SdkPackage; role: WorkerRole; name: string },
): Promise<{ worker: SdkWorkerProcess; workerId: string }> {
  const registered = registrationOf(engine, options.name);
  const worker = SdkWorkerProcess.start({ url: engine.url, ...options });
  try {
    return { worker, workerId: (await registered).workerId };
  } catch (error) {
    await worker.kill();
    throw error;
  }
}
