/**
 * A check for "is the process that started us still there?", asked before every registry write: after `kill -9`
 * of nx, its task process is re-parented (its parent pid changes) and must write nothing more. Returns the
 * reason to stop, or undefined while the parent lives. Polling-free: the question is asked only before a write.
 */
export function parentGuard(startedBy: number = process.ppid): () => string | undefined {
  return () => (process.ppid !== startedBy ? `the process that started this publish (pid ${startedBy}, nx) is gone` : undefined);
}
