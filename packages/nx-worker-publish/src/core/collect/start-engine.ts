import { startEmbeddedEngine, type ConnectionFailureListener, type EngineGeneration, type RegistrationRejectionListener } from '../engine/embedded-engine';
import { readEngineCommandVersion, startExternalEngine, waitForEngineReady } from '../engine/external';
import { GENERATION_PROFILES } from '../engine/generation-profiles';
import type { EngineReport } from './sdk-engine-check';

export type EngineChoice =
  | {
      kind: 'embedded';
      /** `auto`: the generation of the worker's SDK line (resolved before the engine starts). */
      generation: EngineGeneration | 'auto';
      /** Where the engine log goes; kept in memory only without it. */
      logFile?: string;
      /** The log file keeps its last this many bytes (default 16 MiB). */
      logMaxBytes?: number;
    }
  | { kind: 'external'; command: string; workDir: string; withheldEnv?: string[]; logMaxBytes?: number }
  | { kind: 'url'; url: string };

export interface EngineHandle {
  url: string;
  /** One line for the progress log: which engine and where. */
  description: string;
  /** Its version and features, as far as known before a worker connects (see checkSdkAgainstEngine). */
  report: EngineReport;
  logFile?: string;
  logTail(): string;
  /** The embedded engine only: learn of every `registrationrejected` it sends (returns the unsubscribe). */
  onRegistrationRejected?(listener: RegistrationRejectionListener): () => void;
  /** The embedded engine only: learn of every connection it closed for a frame it could not accept. */
  onConnectionFailed?(listener: ConnectionFailureListener): () => void;
  /**
   * The embedded engine only: resolves once it has processed every frame the worker sent before the call. Other
   * engines cannot prove it, so settling there rests on the quiet window alone.
   */
  caughtUp?(workerId: string): Promise<void>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/** An engine choice whose generation is settled (`auto` resolved). */
export type ResolvedEngineChoice = Exclude<EngineChoice, { kind: 'embedded' }> | { kind: 'embedded'; generation: EngineGeneration; logFile?: string; logMaxBytes?: number; why?: string };

/** Starts (or, for `url`, checks) the engine the collector will talk to. */
export async function startEngine(choice: ResolvedEngineChoice): Promise<EngineHandle> {
  switch (choice.kind) {
    case 'embedded': {
      const engine = await startEmbeddedEngine({ generation: choice.generation, logFile: choice.logFile, logMaxBytes: choice.logMaxBytes });
      const profile = GENERATION_PROFILES[choice.generation];
      return {
        url: engine.url,
        description: `embedded engine (${choice.generation}${choice.why ? `, ${choice.why}` : ''}) at ${engine.url}`,
        report: { label: `embedded engine generation ${choice.generation}`, version: profile.rules.defaultEngineVersion, features: profile.features },
        logFile: engine.logFile,
        logTail: () => engine.logTail(),
        onRegistrationRejected: (listener) => engine.onRegistrationRejected(listener),
        onConnectionFailed: (listener) => engine.onConnectionFailed(listener),
        caughtUp: (workerId) => engine.caughtUp(workerId),
        stop: () => engine.stop(),
      };
    }
    case 'external': {
      const version = await readEngineCommandVersion(choice.command, choice.withheldEnv);
      const engine = await startExternalEngine({
        engineCommand: choice.command,
        workDir: choice.workDir,
        readyTimeoutMs: READY_TIMEOUT_MS,
        withheldEnv: choice.withheldEnv,
        logMaxBytes: choice.logMaxBytes,
      });
      return {
        url: engine.url,
        description: `external engine \`${choice.command}\` (${version ? `version ${version}` : 'version unknown'}, pid ${engine.pid}) at ${engine.url}`,
        report: { label: `external engine \`${choice.command}\``, version },
        logFile: engine.logFile,
        logTail: () => engine.logTail(),
        stop: () => engine.stop(),
      };
    }
    case 'url': {
      await waitForEngineReady(choice.url, READY_TIMEOUT_MS);
      return { url: choice.url, description: `running engine at ${choice.url}`, report: { label: `engine at ${choice.url}` }, logTail: () => '', stop: async () => {} };
    }
  }
}
