import type { TaskGraph } from '@nx/devkit';

/** A task graph of independent tasks, each id `<project>:<target>[:<configuration>]`, as Nx hands a batch. */
export function taskGraphOf(ids: string[]): TaskGraph {
  return {
    roots: ids,
    dependencies: Object.fromEntries(ids.map((id) => [id, []])),
    tasks: Object.fromEntries(ids.map((id) => {
      const [project, target] = id.split(':');
      return [id, { id, target: { project, target }, overrides: {}, outputs: [] }];
    })),
  } as unknown as TaskGraph;
}
