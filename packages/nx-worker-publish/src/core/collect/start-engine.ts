import { startEmbeddedEngine } from '../engine/embedded-engine';
import { startExternalEngine, waitForEngineReady } from '../engine/external';
import type { RegistrationRejection } from '../collector/registration-rejection';

export type EngineChoice =
  | { kind: 'embedded'; generation: 'current' | 'legacy' }
  | { kind: 'external'; command: string; workDir: string }
  | { kind: 'url'; url: string };

export interface EngineHandle {
  url: string;
  /** One line for the progress log: which engine and where. */
  description: string;
  logFile?: string;
  logTail(): string;
  /**
   * Engines that can report in-process what they refused (`registrationrejected`, engine ≥ 0.23) offer this; the
   * protocol tells only the refused connection, so external and url engines cannot. Returns the unsubscribe.
   */
  onRegistrationRejected?(listener: (rejection: RegistrationRejection) => void): () => void;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/** Starts (or, for `url`, checks) the engine the collector will talk to. */
export async function startEngine(choice: EngineChoice): Promise<EngineHandle> {
  switch (choice.kind) {
    case 'embedded': {
      const engine = await startEmbeddedEngine({ generation: choice.generation });
      return { url: engine.url, description: `embedded engine (${choice.generation}) at ${engine.url}`, logTail: () => '', stop: () => engine.stop() };
    }
    case 'external': {
      const engine = await startExternalEngine({ engineCommand: choice.command, workDir: choice.workDir, readyTimeoutMs: READY_TIMEOUT_MS });
      return {
        url: engine.url,
        description: `external engine \`${choice.command}\` (pid ${engine.pid}) at ${engine.url}`,
        logFile: engine.logFile,
        logTail: () => engine.logTail(),
        stop: () => engine.stop(),
      };
    }
    case 'url': {
      await waitForEngineReady(choice.url, READY_TIMEOUT_MS);
      return { url: choice.url, description: `running engine at ${choice.url}`, logTail: () => '', stop: async () => {} };
    }
  }
}
