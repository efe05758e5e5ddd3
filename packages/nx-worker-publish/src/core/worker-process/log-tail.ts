import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const MAX_TAIL_BYTES = 256 * 1024;

/** The last `lines` lines of a log file ('' when it does not exist yet). Reads at most the last 256 KiB. */
export function readLogTail(file: string, lines = 40): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, MAX_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return lastLines(buffer.toString('utf8'), lines);
  } finally {
    closeSync(fd);
  }
}

export function lastLines(text: string, lines: number): string {
  if (lines <= 0) return '';
  const all = text.replace(/\r?\n$/, '').split(/\r?\n/);
  return all.slice(-lines).join('\n');
}
