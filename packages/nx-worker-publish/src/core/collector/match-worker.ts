import type { EngineWorker } from './engine-records';

export interface WorkerCandidate extends EngineWorker {
  functionIds: string[];
}

export type MatchRule = 'name' | 'namespace' | 'single-new-worker';

export class WorkerMatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerMatchError';
  }
}

/** `iii-database` workers register `iii-database::query`, `image-resize` ones `image_resize::resize`: accept both. */
export function namespacesOf(worker: string): string[] {
  return [...new Set([worker, worker.replace(/-/g, '_'), worker.replace(/_/g, '-')])];
}

export function describeCandidate(candidate: WorkerCandidate): string {
  const functions = candidate.functionIds.length > 0 ? candidate.functionIds.slice(0, 5).join(', ') : 'no functions';
  const more = candidate.functionIds.length > 5 ? `, … ${candidate.functionIds.length - 5} more` : '';
  return `${candidate.name ?? '(unnamed)'} [${candidate.runtime ?? 'unknown runtime'}, id ${candidate.id}: ${functions}${more}]`;
}

/**
 * Finds the worker being collected among the workers that connected after the baseline: by name or id, then by the
 * namespace of its function ids (kebab or snake case: unnamed Rust workers report only `host:pid`), then as the single
 * new worker (of the caller's processes, when it can tell). Returns null while no rule can decide yet; throws when a rule sees several.
 */
export function matchWorker(
  worker: string,
  candidates: WorkerCandidate[],
  /** When the caller knows which processes it started: the fallback only takes a worker that is one of them. */
  ownsPid?: (pid: number) => boolean,
): { match: WorkerCandidate; rule: MatchRule } | null {
  const external = candidates.filter((c) => !c.internal);
  const byName = external.filter((c) => c.name === worker || c.id === worker);
  if (byName.length === 1) return { match: byName[0], rule: 'name' };
  const prefixes = namespacesOf(worker).map((ns) => `${ns}::`);
  const byNamespace = external.filter((c) => c.functionIds.some((id) => prefixes.some((p) => id.startsWith(p))));
  if (byName.length === 0 && byNamespace.length === 1) return { match: byNamespace[0], rule: 'namespace' };
  // Without a name or namespace to go by, "the one new worker" is only safe if nobody else can connect meanwhile,
  // or if it is provably the process this task started.
  if (byName.length === 0 && byNamespace.length === 0) {
    // Only reached without a better rule: `ownsPid` reads the process table.
    const fallback = ownsPid ? external.filter((c) => c.pid !== undefined && ownsPid(c.pid)) : external;
    if (fallback.length === 1) return { match: fallback[0], rule: 'single-new-worker' };
  }
  if (byName.length > 1 || byNamespace.length > 1) {
    throw new WorkerMatchError(
      `could not tell which worker is ${worker}: ${byName.length} new workers are named ${worker} and ${byNamespace.length} ` +
        `register functions under ${prefixes.join(' or ')}. Candidates: ${external.map(describeCandidate).join('; ')}. ` +
        `Give the worker a unique name (workerName in iii-sdk) or set the \`worker\` option to the name it reports.`,
    );
  }
  return null;
}
