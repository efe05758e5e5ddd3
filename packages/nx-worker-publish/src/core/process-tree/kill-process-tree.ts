import { findMarkedProcesses, findTreeMembers, readProcessTable, type ProcessEntry } from './process-table';

export interface KillProcessTreeOptions {
  /** The root leads its own process group (spawned with `detached: true`): signal the whole group too. */
  ownGroup?: boolean;
  /**
   * The root already exited and was reaped: its pid may belong to someone else by now, so only its group
   * (which keeps the id reserved while it has members) is followed.
   */
  rootExited?: boolean;
  /** Time between SIGTERM and SIGKILL. */
  graceMs?: number;
  /**
   * `NAME=value` that every process of the tree carries in its environment: processes that hold it belong to the tree
   * however they detached (double fork + setsid re-parents them to init, outside the group).
   */
  marker?: string;
  /** Bound on waiting for killed processes to be reaped by their parent (or init) once they are zombies. */
  reapTimeoutMs?: number;
  pollMs?: number;
}

const DEFAULT_GRACE_MS = 3000;
const DEFAULT_REAP_TIMEOUT_MS = 5000;
const DEFAULT_POLL_MS = 50;

/**
 * Ends a process, its process group and every descendant (also those that started their own group or
 * ignore SIGTERM): SIGTERM, then SIGKILL after `graceMs` for anything still running. Resolves once all of
 * them are gone. The tree is re-read on every poll because orphans are re-parented to init as soon as
 * their parent dies, so descendants must be found while the chain still exists.
 */
export async function killProcessTree(rootPid: number, options: KillProcessTreeOptions = {}): Promise<void> {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const tree = new TrackedTree(rootPid, options.ownGroup === true, options.rootExited === true, options.marker);

  tree.refresh();
  tree.signal('SIGTERM');
  await pollUntil(() => tree.refresh().running.length === 0, graceMs, pollMs);

  if (tree.refresh().running.length > 0) tree.signal('SIGKILL');
  // Our own zombie children are reaped by this process in a moment; wait (bounded) so callers see them gone. Orphans
  // re-parented to init are dead too, but init reaps when it pleases (seconds, in some containers): don't wait on it.
  const unreapedOfOurs = () => tree.refresh().present.filter((entry) => entry.state !== 'Z' || entry.ppid === process.pid);
  await pollUntil(() => unreapedOfOurs().length === 0, options.reapTimeoutMs ?? DEFAULT_REAP_TIMEOUT_MS, pollMs);
}

/** Best-effort synchronous SIGKILL of the whole tree, for `process.on('exit')` where nothing async runs. */
export function killProcessTreeSync(rootPid: number, options: Pick<KillProcessTreeOptions, 'ownGroup' | 'marker'> = {}): void {
  const tree = new TrackedTree(rootPid, options.ownGroup === true, false, options.marker);
  tree.refresh();
  tree.signal('SIGKILL');
}

class TrackedTree {
  /** pids currently part of the tree; pids leave as soon as they vanish, so a reused pid is never signalled. */
  private readonly tracked: Set<number>;
  private running: ProcessEntry[] = [];

  constructor(
    private readonly rootPid: number,
    private readonly ownGroup: boolean,
    rootExited = false,
    private readonly marker?: string,
  ) {
    this.tracked = new Set(rootExited ? [] : [rootPid]);
  }

  refresh(): { running: ProcessEntry[]; present: ProcessEntry[] } {
    let table: ProcessEntry[];
    try {
      table = readProcessTable();
    } catch {
      table = [];
    }
    const groups = this.ownGroup ? [this.rootPid] : [];
    const marked = this.marker ? findMarkedProcesses(table, this.marker) : [];
    const members = findTreeMembers(table, [...this.tracked, ...marked], groups);
    this.tracked.clear();
    for (const pid of members) this.tracked.add(pid);
    const present = table.filter((entry) => members.has(entry.pid));
    this.running = present.filter((entry) => entry.state !== 'Z');
    return { running: this.running, present };
  }

  signal(signal: NodeJS.Signals): void {
    if (this.ownGroup) trySignal(-this.rootPid, signal);
    for (const entry of this.running) trySignal(entry.pid, signal);
  }
}

function trySignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: already gone; EPERM: not ours to end.
  }
}

async function pollUntil(done: () => boolean, timeoutMs: number, pollMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return true;
}
