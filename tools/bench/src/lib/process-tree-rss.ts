import { readdirSync, readFileSync } from 'node:fs';

const PAGE_BYTES = 4096;
/** USER_HZ: /proc reports CPU time in clock ticks of 1/100 s on Linux. */
const TICK_MS = 10;

interface ProcessRow {
  ppid: number;
  rssBytes: number;
  /** utime + stime of the process itself (not of its reaped children), in ms. */
  cpuMs: number;
}

/** pid → its row, for every process visible in /proc (Linux only; empty elsewhere). */
function processTable(): Map<number, ProcessRow> {
  const table = new Map<number, ProcessRow>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) start after the last ')': state, ppid, …, utime and stime
      // are fields 14 and 15, rss is field 24.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), { ppid: Number(fields[1]), rssBytes: Number(fields[21]) * PAGE_BYTES, cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** `root` and all its descendants. */
function descendants(table: Map<number, ProcessRow>, root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (table.has(pid)) out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Total resident memory of `root` and all its descendants, in bytes. */
export function treeRssBytes(root: number): number {
  const table = processTable();
  return descendants(table, root).reduce((sum, pid) => sum + table.get(pid)!.rssBytes, 0);
}

const commandLine = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
};

export interface TreeSample {
  peakRssMb: number;
  /** CPU time this process spent sampling (to subtract from its own usage). */
  samplingCpuMs: number;
  /** CPU time (ms) per kind of process, as `classify` names them; a process's last < intervalMs may be missed. */
  cpuMsByKind: Record<string, number>;
}

/**
 * Samples the tree every `intervalMs` until stopped: its peak RSS, and the CPU time of every process seen in it,
 * summed per kind (`classify(pid === root, commandLine)`).
 */
export function sampleTree(root: number, classify: (isRoot: boolean, commandLine: string) => string, intervalMs = 100): { stop(): TreeSample } {
  let peak = 0;
  let samplingCpuMs = 0;
  const lastCpuMs = new Map<number, number>();
  const cpuMsByKind: Record<string, number> = {};
  const sample = () => {
    const before = process.cpuUsage();
    const table = processTable();
    let rss = 0;
    for (const pid of descendants(table, root)) {
      const row = table.get(pid)!;
      rss += row.rssBytes;
      // Classified at every sample: a forked process shows its parent's command line until it execs its own.
      const kind = classify(pid === root, commandLine(pid));
      cpuMsByKind[kind] = (cpuMsByKind[kind] ?? 0) + Math.max(0, row.cpuMs - (lastCpuMs.get(pid) ?? 0));
      lastCpuMs.set(pid, row.cpuMs);
    }
    peak = Math.max(peak, rss);
    const used = process.cpuUsage(before);
    samplingCpuMs += (used.user + used.system) / 1000;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return { peakRssMb: Math.round((peak / 1024 / 1024) * 10) / 10, samplingCpuMs, cpuMsByKind };
    },
  };
}
