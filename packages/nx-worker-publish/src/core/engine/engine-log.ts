import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const KEPT_LINES = 200;
const DEFAULT_TAIL_LINES = 40;

/**
 * The embedded engine's log: what a real engine would print that explains a worker's behaviour (its log
 * calls, calls to services this engine lacks, refused registrations). Lines go to a file when one is given
 * (so a failed collection can point at it) and are always kept in memory for `tail()`.
 */
export class EngineLog {
  private readonly lines: string[] = [];

  constructor(
    readonly file: string | undefined,
    private readonly onLine?: (line: string) => void,
  ) {
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, '');
    }
  }

  write(level: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR', message: string): void {
    // One entry per line, whatever the message holds, so a tail never splits an entry mid-way.
    const line = `${new Date().toISOString()} ${level.padEnd(5)} ${message.replace(/\r?\n/g, '\\n')}`;
    this.lines.push(line);
    if (this.lines.length > KEPT_LINES) this.lines.splice(0, this.lines.length - KEPT_LINES);
    if (this.file) {
      try {
        appendFileSync(this.file, line + '\n');
      } catch {
        // A log that cannot be written must not take the engine down; the in-memory tail still has it.
      }
    }
    this.onLine?.(line);
  }

  tail(lines = DEFAULT_TAIL_LINES): string {
    return this.lines.slice(-lines).join('\n');
  }
}
