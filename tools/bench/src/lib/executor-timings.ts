import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './paths';
import type { TimedLine } from './nx-runner';

/** The steps `collectWorkerInterface` times, in order. */
export const STEP_KEYS = ['launch_plan', 'download', 'verify', 'extract', 'engine_ready', 'worker_boot', 'collect', 'write'] as const;
export type StepKey = (typeof STEP_KEYS)[number];
export type StepTimings = Partial<Record<StepKey, number>>;

/** The option the bench passes when the executor can write its timings to a file (proposed to the lead). */
export const TIMINGS_FILE_OPTION = 'timingsFile';

/** True when the collect-interface executor's schema declares `timingsFile`. */
export function executorWritesTimings(): boolean {
  const schema = join(repositoryRoot(), 'packages', 'nx-worker-publish', 'src', 'executors', 'collect-interface', 'schema.json');
  if (!existsSync(schema)) return false;
  const properties = (JSON.parse(readFileSync(schema, 'utf8')) as { properties?: Record<string, unknown> }).properties ?? {};
  return TIMINGS_FILE_OPTION in properties;
}

/** `{timings:{…}}` or a flat `{launch_plan: …}` object, as written by `--timingsFile`. */
export function readTimingsFile(file: string): StepTimings {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const timings = (json.timings ?? json) as Record<string, unknown>;
  const out: StepTimings = {};
  for (const key of STEP_KEYS) if (typeof timings[key] === 'number') out[key] = timings[key] as number;
  return out;
}

const STEP_LINES: Array<[string, StepKey]> = [
  ['launch plan', 'launch_plan'],
  ['engine ready', 'engine_ready'],
  ['worker registered', 'worker_boot'],
  ['interface read', 'collect'],
  ['interface written', 'write'],
];

/** `formatDuration` of the step reporter: "123 ms" or "1.2 s". */
function parseDuration(text: string): number | undefined {
  const match = /^([\d.]+) (ms|s)$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

export interface ParsedExecutorOutput {
  timings: StepTimings;
  /** ms since spawn when Nx printed `> nx run …`: project graph and hashing done, the task is being started. */
  taskStartAt?: number;
  /** ms since spawn when the executor printed its first step (the end of `launch_plan`). */
  firstStepAt?: number;
  /** ms since spawn when "interface written" was printed. */
  writtenAt?: number;
}

/**
 * Reads the breakdown from the executor's progress lines ("✔ engine ready: … (3 ms)", and "release asset …:
 * downloaded 50.0 MB in 1.2 s, … verified in 2 ms, extracted in 345 ms").
 */
export function parseExecutorOutput(lines: TimedLine[]): ParsedExecutorOutput {
  const result: ParsedExecutorOutput = { timings: {} };
  for (const { at, text } of lines) {
    const line = text.trim();
    if (line.startsWith('> nx run ')) result.taskStartAt ??= at;
    const step = /^✔ (.*) \(([\d.]+ (?:ms|s))\)$/.exec(line);
    if (step) {
      const key = STEP_LINES.find(([prefix]) => step[1].startsWith(prefix))?.[1];
      const ms = parseDuration(step[2]);
      if (key && ms !== undefined) {
        result.timings[key] = ms;
        result.firstStepAt ??= at;
        if (key === 'write') result.writtenAt = at;
      }
      continue;
    }
    const asset = /downloaded [\d.]+ MB in ([\d.]+ (?:ms|s)),.*verified in ([\d.]+ (?:ms|s)), extracted in ([\d.]+ (?:ms|s))/.exec(line);
    if (asset) {
      result.timings.download = parseDuration(asset[1]);
      result.timings.verify = parseDuration(asset[2]);
      result.timings.extract = parseDuration(asset[3]);
    }
  }
  return result;
}
