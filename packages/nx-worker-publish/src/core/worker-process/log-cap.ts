import { closeSync, constants, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { basename } from 'node:path';

const MIB = 1024 * 1024;
export const DEFAULT_LOG_MAX_BYTES = 16 * MIB;
const CHECK_EVERY_MS = 500;
/** Room left for the cut notice when making space for an incoming write. */
export const MARKER_ROOM = 256;

/**
 * Keeps a log that a child writes straight into (O_APPEND) below `maxBytes`: when it grows past that, the oldest
 * half is dropped and a first line says how much was. The child's appends keep landing at the (new) end.
 */
export class LogCap {
  private droppedBytes = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly file: string,
    private readonly maxBytes = DEFAULT_LOG_MAX_BYTES,
  ) {
    this.timer = setInterval(() => this.enforce(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  /** Stops watching after one last check. */
  close(): void {
    clearInterval(this.timer);
    this.enforce();
  }

  /** One line for the top of a shown log tail when output was dropped, else ''. */
  cutNotice(): string {
    if (this.droppedBytes === 0) return '';
    return `[${basename(this.file)} was cut: it keeps its last ${formatMiB(this.maxBytes)} (logMaxMiB); ${formatMiB(this.droppedBytes)} of earlier output were dropped]`;
  }

  /** Output dropped before it reached the file (a writer that keeps only what fits); counted in the notice. */
  dropped(bytes: number): void {
    this.droppedBytes += bytes;
  }

  /** Cuts the file if it is over the cap, or would be once `incomingBytes` more are appended (a writer of its own). */
  enforce(incomingBytes = 0): void {
    let fd: number;
    try {
      fd = openSync(this.file, constants.O_RDWR | constants.O_APPEND);
    } catch {
      return;
    }
    try {
      const size = fstatSync(fd).size;
      if (size + incomingBytes <= this.maxBytes) return;
      const keep = Math.max(0, Math.min(Math.floor(this.maxBytes / 2), this.maxBytes - incomingBytes - MARKER_ROOM));
      const tail = Buffer.alloc(keep);
      const read = readSync(fd, tail, 0, keep, size - keep);
      // Start at a line boundary so the kept part does not begin mid-line.
      const newline = tail.subarray(0, read).indexOf(0x0a);
      const kept = newline >= 0 && newline < read - 1 ? tail.subarray(newline + 1, read) : tail.subarray(0, read);
      this.droppedBytes += size - kept.length - this.markerLength;
      const marker = Buffer.from(`${this.cutNotice()}\n`);
      // One write right after the truncation: a line the child appends in between lands first, not in the middle.
      const rewritten = Buffer.concat([marker, kept]);
      ftruncateSync(fd, 0);
      writeSync(fd, rewritten);
      this.markerLength = marker.length;
    } catch {
      // a log that cannot be capped right now is capped on the next check
    } finally {
      closeSync(fd);
    }
  }

  /** The marker written at the top by the previous cut (not output of the child). */
  private markerLength = 0;
}

const formatMiB = (bytes: number) => `${+(bytes / MIB).toFixed(bytes < MIB ? 2 : 1)} MiB`;

/** Opens `file` empty for a new run, in append mode so the cap can truncate it under a writing child. */
export function openFreshLog(file: string): number {
  return openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND, 0o644);
}
