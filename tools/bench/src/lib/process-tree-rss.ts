import { readdirSync, readFileSync } from 'node:fs';

const PAGE_BYTES = 4096;

/** pid → [ppid, rss bytes] of every process visible in /proc (Linux only; empty elsewhere). */
function processTable(): Map<number, [number, number]> {
  const table = new Map<number, [number, number]>();
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
      // Fields after the command (which may hold spaces) start after the last ')': state, ppid, …, rss is field 24.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), [Number(fields[1]), Number(fields[21]) * PAGE_BYTES]);
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** Total resident memory of `root` and all its descendants, in bytes. */
export function treeRssBytes(root: number): number {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, [ppid]] of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += table.get(pid)?.[1] ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Samples the tree's RSS every `intervalMs` until stopped; returns the peak in MB. */
export function sampleTreeRss(root: number, intervalMs = 200): { stop(): number } {
  let peak = treeRssBytes(root);
  const timer = setInterval(() => (peak = Math.max(peak, treeRssBytes(root))), intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.round((peak / 1024 / 1024) * 10) / 10;
    },
  };
}
