import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgid: number;
  /** One-letter state (`R`, `S`, `Z`, …); `Z` = zombie: dead, waiting to be reaped. */
  state: string;
}

/**
 * A snapshot of every process on the machine. Linux: /proc/<pid>/stat (no child process needed);
 * elsewhere: one `ps -A` call. Processes that vanish while being read are skipped.
 */
export function readProcessTable(): ProcessEntry[] {
  return hasProcFs() ? readFromProc() : readFromPs();
}

let procFsChecked: boolean | undefined;
function hasProcFs(): boolean {
  if (procFsChecked === undefined) {
    try {
      readFileSync('/proc/self/stat', 'utf8');
      procFsChecked = true;
    } catch {
      procFsChecked = false;
    }
  }
  return procFsChecked;
}

function readFromProc(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we were listing
    }
    const entry = parseProcStat(stat);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** `pid (comm) state ppid pgrp …`; comm may contain spaces and parentheses, so split after the last `)`. */
export function parseProcStat(stat: string): ProcessEntry | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number.parseInt(stat, 10);
  const [state, ppid, pgid] = stat.slice(close + 2).split(' ');
  if (!Number.isFinite(pid) || state === undefined) return undefined;
  return { pid, state, ppid: Number(ppid), pgid: Number(pgid) };
}

function readFromPs(): ProcessEntry[] {
  const out = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat='], { encoding: 'utf8' });
  const entries: ProcessEntry[] = [];
  for (const line of out.split('\n')) {
    const [pid, ppid, pgid, stat] = line.trim().split(/\s+/);
    if (!pid || !stat) continue;
    entries.push({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), state: stat[0] });
  }
  return entries;
}

/** Every process whose parent chain reaches one of `roots`, plus every member of the given process groups. */
export function findTreeMembers(table: ProcessEntry[], roots: Iterable<number>, groups: Iterable<number> = []): Set<number> {
  const childrenOf = new Map<number, number[]>();
  for (const entry of table) {
    const siblings = childrenOf.get(entry.ppid);
    if (siblings) siblings.push(entry.pid);
    else childrenOf.set(entry.ppid, [entry.pid]);
  }
  const members = new Set<number>();
  const queue: number[] = [];
  const groupSet = new Set(groups);
  for (const entry of table) if (groupSet.has(entry.pgid)) queue.push(entry.pid);
  for (const root of roots) if (table.some((e) => e.pid === root)) queue.push(root);
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    if (members.has(pid)) continue;
    members.add(pid);
    for (const child of childrenOf.get(pid) ?? []) queue.push(child);
  }
  return members;
}

/** True while the process runs; a zombie (dead, waiting for its parent to reap it) does not count. */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  return readProcessTable().find((entry) => entry.pid === pid)?.state !== 'Z';
}

/**
 * Processes whose environment holds `marker` (`NAME=value`): how a worker's daemons are found after they double-fork
 * and `setsid` away from its tree. Linux only (/proc/<pid>/environ, readable for our own processes); elsewhere none.
 */
export function findMarkedProcesses(table: ProcessEntry[], marker: string): Set<number> {
  const found = new Set<number>();
  if (!hasProcFs()) return found;
  const needle = Buffer.from(`\0${marker}\0`);
  for (const entry of table) {
    if (entry.pid === process.pid || entry.state === 'Z') continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${entry.pid}/environ`);
    } catch {
      continue; // another user's process, or gone
    }
    if (Buffer.concat([Buffer.from([0]), environ]).includes(needle)) found.add(entry.pid);
  }
  return found;
}
