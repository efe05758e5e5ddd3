import { killProcessTreeSync } from '../process-tree';

/** What the parent needs to end a child it started in its own process group. */
export interface LiveChild {
  pid: number;
  /** `NAME=value` in the environment of every process of the child (see RUN_ID_ENV). */
  marker?: string;
  stop(): Promise<void>;
}

const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
const liveChildren = new Set<LiveChild>();
/** Synchronous clean-ups (temporary folders) that must run however the process ends. */
const exitCleanups = new Set<() => void>();
let stoppingForSignal = false;

/**
 * Children started with `detached: true` survive the parent by design, so the parent ends them itself:
 * on SIGINT/SIGTERM it stops them (gracefully) and then lets the signal take its default course; on
 * `exit` (nothing async can run) it SIGKILLs their groups. Listeners exist only while a child is alive.
 */
export function trackLiveChild(child: LiveChild): () => void {
  liveChildren.add(child);
  addListeners();
  return () => {
    liveChildren.delete(child);
    removeListenersIfIdle();
  };
}

/**
 * Runs `cleanup` (synchronous, e.g. `rmSync` of a temporary folder) if the process ends by SIGINT/SIGTERM or
 * `exit` before the returned function is called. A `finally` block does not run when a signal ends the process.
 */
export function trackExitCleanup(cleanup: () => void): () => void {
  exitCleanups.add(cleanup);
  addListeners();
  return () => {
    exitCleanups.delete(cleanup);
    removeListenersIfIdle();
  };
}

export function liveChildCount(): number {
  return liveChildren.size;
}

function addListeners(): void {
  if (!stoppingForSignal) {
    for (const signal of FORWARDED_SIGNALS) {
      if (!process.listeners(signal).includes(onSignal)) process.on(signal, onSignal);
    }
  }
  if (!process.listeners('exit').includes(onExit)) process.on('exit', onExit);
}

function removeListenersIfIdle(): void {
  if (liveChildren.size > 0 || exitCleanups.size > 0) return;
  for (const signal of FORWARDED_SIGNALS) process.off(signal, onSignal);
  process.off('exit', onExit);
}

function runExitCleanups(): void {
  for (const cleanup of exitCleanups) {
    try {
      cleanup();
    } catch {
      // best effort: the process is ending
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  // Stop listening first: a second Ctrl-C then takes the default path (exit at once; the `exit` hook
  // still SIGKILLs the groups).
  stoppingForSignal = true;
  for (const s of FORWARDED_SIGNALS) process.off(s, onSignal);
  runExitCleanups();
  const children = [...liveChildren];
  void Promise.allSettled(children.map((child) => child.stop())).then(() => {
    stoppingForSignal = false;
    runExitCleanups(); // again: work that went on while the children stopped may have re-created a folder
    // Re-raise only if nobody else handles the signal; otherwise the other handler decides how to exit.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

/**
 * Stops every live child (bounded: what is still running after `boundMs` is SIGKILLed by the exit hook), runs the
 * exit clean-ups and exits with `code`.
 */
export function stopAllAndExit(code: number, boundMs = 1500): void {
  runExitCleanups();
  const stopped = Promise.allSettled([...liveChildren].map((child) => child.stop()));
  const bound = new Promise((resolve) => setTimeout(resolve, boundMs).unref());
  void Promise.race([stopped, bound]).then(() => process.exit(code));
}

function onExit(): void {
  for (const child of liveChildren) killProcessTreeSync(child.pid, { ownGroup: true, marker: child.marker });
  runExitCleanups();
}
