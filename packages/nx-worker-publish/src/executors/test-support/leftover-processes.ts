import { readdirSync, readlinkSync } from 'node:fs';
import { readProcessTable } from '../../core/process-tree';

/** Whether `pid` is a live process (a zombie is dead, only not yet reaped). */
export function isAlive(pid: number): boolean {
  const entry = readProcessTable().find((process) => process.pid === pid);
  return entry !== undefined && entry.state !== 'Z';
}

/**
 * Pids of the processes whose working folder is inside `dir`: every worker (and the shell of a start script) runs
 * from its worker folder, so this finds anything the executor left behind there. Linux only (/proc); elsewhere [].
 */
export function processesRunningIn(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return names
    .filter((name) => {
      try {
        const cwd = readlinkSync(`/proc/${name}/cwd`);
        return cwd === dir || cwd.startsWith(`${dir}/`);
      } catch {
        return false; // exited meanwhile, a zombie, or not ours to inspect
      }
    })
    .map(Number)
    .filter(isAlive);
}
