import { spawn } from 'node:child_process';

/**
 * A tiny `sh` beside every worker: it reads its stdin, a pipe only this process holds. When this process dies,
 * however it died (SIGKILL of `nx` or of its whole process group included), the pipe closes and the watchdog ends
 * the worker's group and every process marked with the run id (daemons that double-forked away), then exits.
 * A clean stop writes `release` first, and the watchdog exits without touching anything.
 * It runs in its own session, so a signal to our group does not reach it; on hosts without /proc only the group is ended.
 */
const WATCHDOG_SCRIPT = `
PGID=$1
MARKER=$2
IFS= read -r line
[ "$line" = release ] && exit 0
sweep() {
  kill -"$1" -- -"$PGID" 2>/dev/null
  for d in /proc/[0-9]*; do
    case "$(tr '\\000' '\\n' < "$d/environ" 2>/dev/null)" in
      *"$MARKER"*) kill -"$1" "\${d#/proc/}" 2>/dev/null ;;
    esac
  done
}
sweep TERM
sleep 0.5
sweep KILL
sleep 0.2
sweep KILL
`;

export interface OrphanWatchdog {
  /** The worker was stopped by us: the watchdog exits without ending anything. */
  release(): void;
}

/** `marker` is the `NAME=value` in the worker's environment; `pgid` its process group (its pid). */
export function startOrphanWatchdog(pgid: number, marker: string): OrphanWatchdog {
  // The marker goes in as an argument, never in the environment: the watchdog would find (and end) itself.
  const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'worker-publish-watchdog', String(pgid), marker], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  child.on('error', () => undefined); // no /bin/sh: the in-process clean-up still runs
  child.stdin?.on('error', () => undefined);
  // Neither the watchdog nor its pipe may keep this process alive.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      child.stdin?.end('release\n');
    },
  };
}
