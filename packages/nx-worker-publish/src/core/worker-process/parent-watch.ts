import { stopAllAndExit } from './live-children';

const POLL_MS = 250;
let watching = false;

/**
 * Ends this process when the process that started it dies (`nx`, killed by any signal, SIGKILL included): its
 * workers and engines are stopped and the process exits, instead of running on as an orphan that still writes the
 * interface. Noticed by the IPC channel closing (Nx forks its task processes) or by the parent pid changing
 * (the orphan is re-parented). Idempotent; the timer never keeps the process alive.
 */
export function exitWhenParentDies(log: (line: string) => void = writeStderr): void {
  if (watching) return;
  watching = true;
  const parent = process.ppid;
  const onParentGone = (how: string) => {
    clearInterval(timer);
    log(`✖ the process that started this task (pid ${parent}) ${how}: stopping the worker and exiting.`);
    stopAllAndExit(1);
  };
  const timer = setInterval(() => {
    if (process.ppid !== parent) onParentGone('is gone');
  }, POLL_MS);
  timer.unref();
  if (process.connected) process.once('disconnect', () => onParentGone('closed its connection'));
}

function writeStderr(line: string): void {
  // With nx gone, stderr may be a broken pipe: an EPIPE must not crash us before the workers are stopped.
  process.stderr.on('error', () => undefined);
  process.stderr.write(`${line}\n`);
}
