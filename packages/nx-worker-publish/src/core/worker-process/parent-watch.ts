import { stopAllAndExit } from './live-children';

const POLL_MS = 250;
let watching = false;
/** Collections under way in this process; only they are stopped when the parent goes. */
let activeWork = 0;

/**
 * Ends this process when the process that started it dies (`nx`, killed by any signal, SIGKILL included) while a
 * collection is under way: its workers and engines are stopped and the process exits, instead of running on as an
 * orphan that still writes the interface. Noticed by the IPC channel closing (Nx forks its task processes) or by the
 * parent pid changing (the orphan is re-parented).
 *
 * Returns the end of this piece of work. Once no work is under way the parent may go quietly: Nx 24 closes the IPC
 * channel of a task process as soon as the task has reported its result, which is not a failure. The watch itself
 * is installed once; its timer never keeps the process alive.
 */
export function exitWhenParentDies(log: (line: string) => void = writeStderr): () => void {
  activeWork++;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    activeWork--;
  };
  if (watching) return end;
  watching = true;
  const parent = process.ppid;
  const onParentGone = (how: string) => {
    if (activeWork === 0) return;
    clearInterval(timer);
    log(`✖ the process that started this task (pid ${parent}) ${how}: stopping the worker and exiting.`);
    stopAllAndExit(1);
  };
  const timer = setInterval(() => {
    if (process.ppid !== parent) onParentGone('is gone');
  }, POLL_MS);
  timer.unref();
  if (process.connected) process.on('disconnect', () => onParentGone('closed its connection'));
  return end;
}

function writeStderr(line: string): void {
  // With nx gone, stderr may be a broken pipe: an EPIPE must not crash us before the workers are stopped.
  process.stderr.on('error', () => undefined);
  process.stderr.write(`${line}\n`);
}
