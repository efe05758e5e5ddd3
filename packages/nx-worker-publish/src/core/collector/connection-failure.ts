/**
 * The engine closed a worker's connection because of a frame it could not accept, e.g. a text frame that is not valid
 * UTF-8 (RFC 6455 §8.1, close code 1007). Only an engine that reports in-process (the embedded one) can tell.
 */
export interface ConnectionFailure {
  /** The connection the engine closed. */
  workerId: string;
  workerName?: string;
  /** What the engine could not accept, as `ws` words it (with its error code). */
  reason: string;
}

/** The worker's registration was cut short by the engine closing its connection. */
export class ConnectionFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionFailedError';
  }
}

/** One paragraph naming the worker, the connection and the reason, and what to do. */
export function connectionFailureMessage(worker: string, failure: ConnectionFailure): string {
  const connection = failure.workerName ? `its connection "${failure.workerName}" (id ${failure.workerId})` : `its connection (id ${failure.workerId})`;
  return (
    `the engine closed ${connection} while collecting worker ${worker}: ${failure.reason}. Whatever the worker sent after that ` +
    `frame never reached the engine, so no interface was written. A WebSocket text frame must be valid UTF-8 (RFC 6455 §8.1): ` +
    `check how the worker encodes what it sends (the engine log has the same line).`
  );
}
