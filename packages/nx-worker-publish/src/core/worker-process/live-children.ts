import { killProcessTreeSync } from '../process-tree';

/** What the parent needs to end a child it started in its own process group. */
export interface LiveChild {
  pid: number;
  stop(): Promise<void>;
}

const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
const liveChildren = new Set<LiveChild>();
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
    if (liveChildren.size === 0) removeListeners();
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

function removeListeners(): void {
  for (const signal of FORWARDED_SIGNALS) process.off(signal, onSignal);
  process.off('exit', onExit);
}

function onSignal(signal: NodeJS.Signals): void {
  // Stop listening first: a second Ctrl-C then takes the default path (exit at once; the `exit` hook
  // still SIGKILLs the groups).
  stoppingForSignal = true;
  for (const s of FORWARDED_SIGNALS) process.off(s, onSignal);
  const children = [...liveChildren];
  void Promise.allSettled(children.map((child) => child.stop())).then(() => {
    stoppingForSignal = false;
    // Re-raise only if nobody else handles the signal; otherwise the other handler decides how to exit.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

function onExit(): void {
  for (const child of liveChildren) killProcessTreeSync(child.pid, { ownGroup: true });
}
