import { closeSync, mkdirSync, write } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_LOG_MAX_BYTES, LogCap, MARKER_ROOM, openFreshLog } from '../worker-process/log-cap';

const KEPT_LINES = 200;
const DEFAULT_TAIL_LINES = 40;

export type EngineLogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * The embedded engine's log: what a real engine would print that explains a worker's behaviour (its log
 * calls, calls to services this engine lacks, refused registrations). Lines are always kept in memory for `tail()`;
 * with a file they are also written there, in batches and off the engine's thread (a worker flooding
 * `engine::log::*` must not slow down how fast the engine reads its registrations), and the file keeps its last
 * `maxBytes` like the worker log (logMaxMiB).
 */
export class EngineLog {
  private readonly lines: string[] = [];
  private readonly fd?: number;
  private readonly cap?: LogCap;
  /** The most one write appends, so that a cut made before it leaves room for it under the cap. */
  private readonly maxBatchBytes: number;
  /** Lines not handed to the file yet. */
  private pending: string[] = [];
  private writing?: Promise<void>;
  private closed = false;

  constructor(
    readonly file: string | undefined,
    private readonly onLine?: (line: string) => void,
    maxBytes = DEFAULT_LOG_MAX_BYTES,
  ) {
    this.maxBatchBytes = Math.max(0, Math.floor(maxBytes / 2) - MARKER_ROOM);
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      this.fd = openFreshLog(file);
      this.cap = new LogCap(file, maxBytes);
    }
  }

  write(level: EngineLogLevel, message: string): void {
    // One entry per line, whatever the message holds, so a tail never splits an entry mid-way.
    const line = `${new Date().toISOString()} ${level.padEnd(5)} ${message.replace(/\r?\n/g, '\\n')}`;
    this.lines.push(line);
    if (this.lines.length > 2 * KEPT_LINES) this.lines.splice(0, this.lines.length - KEPT_LINES);
    if (this.fd !== undefined && !this.closed) {
      this.pending.push(line);
      this.writing ??= this.writeBatches();
    }
    this.onLine?.(line);
  }

  /** The last lines, under the cut notice when the file has been cut (as the worker log's tail shows it). */
  tail(lines = DEFAULT_TAIL_LINES): string {
    const notice = this.cap?.cutNotice();
    return [...(notice ? [notice] : []), ...this.lines.slice(-Math.min(lines, KEPT_LINES))].join('\n');
  }

  /** Resolves once every line written so far is in the file. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Writes what is pending, applies the cap one last time and closes the file. Idempotent. */
  async close(): Promise<void> {
    await this.flush();
    if (this.fd === undefined || this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    this.cap?.close();
  }

  /** Writes pending lines one batch at a time (everything that arrived during the previous write) until none is left. */
  private async writeBatches(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.takeBatch();
        // Cut first, so the file never grows past the cap, not even for a moment.
        this.cap!.enforce(batch.length);
        await writeAll(this.fd!, batch).catch(() => undefined); // a log that cannot be written must not take the engine down
      }
    } finally {
      this.writing = undefined;
    }
  }

  /** The pending lines as one buffer; the oldest are dropped (and counted) when they are more than one write may hold. */
  private takeBatch(): Buffer {
    let batch = Buffer.from(this.pending.join('\n') + '\n');
    this.pending = [];
    if (batch.length > this.maxBatchBytes) {
      const start = batch.indexOf(0x0a, batch.length - this.maxBatchBytes - 1) + 1;
      this.cap!.dropped(start);
      batch = batch.subarray(start);
    }
    return batch;
  }
}

function writeAll(fd: number, buffer: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    write(fd, buffer, 0, buffer.length, null, (error, written) => {
      if (error) return reject(error);
      if (written < buffer.length) return writeAll(fd, buffer.subarray(written)).then(resolve, reject);
      resolve();
    });
  });
}
