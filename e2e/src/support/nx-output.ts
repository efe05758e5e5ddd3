/** Reading what `nx run` / `run-many` / `affected` printed (colour codes already stripped). */

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const TASK_LINE = /^> nx run ([^\s]+)(.*)$/gm;

/** The tasks Nx started or replayed, in the order their `> nx run <project:target>` headers appear. */
export function tasksInOutput(output: string): string[] {
  return [...output.matchAll(TASK_LINE)].map((match) => match[1]);
}

export type TaskCacheStatus = 'ran' | 'local cache' | 'existing outputs match the cache' | 'absent';

/** Whether a task ran or came from the cache, from the bracket Nx appends to its header line. */
export function taskCacheStatus(output: string, taskId: string): TaskCacheStatus {
  const header = new RegExp(`^> nx run ${escapeRegExp(taskId)}(?:\\s.*)?$`, 'm').exec(output)?.[0];
  if (header === undefined) return 'absent';
  if (header.includes('[local cache]')) return 'local cache';
  if (header.includes('[existing outputs match the cache')) return 'existing outputs match the cache';
  return 'ran';
}

/** The engine URLs the collect tasks report (`engine ready: … at ws://127.0.0.1:<port>`). */
export function engineUrlsInOutput(output: string): string[] {
  return [...output.matchAll(/engine ready: .* at (ws:\/\/[\d.]+:\d+)/g)].map((match) => match[1]);
}

/** The `✖ could not …` paragraph the plugin prints for a failed task (up to the next blank line or Nx banner). */
export function failureParagraph(output: string): string | undefined {
  const start = output.indexOf('✖ ');
  if (start < 0) return undefined;
  const rest = output.slice(start);
  const end = rest.search(/\n\s*\n| NX {3}/);
  return (end < 0 ? rest : rest.slice(0, end)).trim();
}
