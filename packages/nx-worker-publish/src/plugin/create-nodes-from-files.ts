import type { CreateNodesResult } from '@nx/devkit';

type NodesOfFile = readonly [file: string, result: CreateNodesResult];

/**
 * Nx's `createNodesFromFiles` without loading `@nx/devkit` for it: the devkit's index pulls in Nx's task runner and
 * daemon client, ≈ 300 ms of module loading in the plugin worker of every `nx` command. Nx's error type, the only
 * piece of Nx this needs, is loaded when a file fails (Nx then shows each file's error and keeps the other results).
 */
export async function createNodesFromFiles(createNodes: (file: string) => CreateNodesResult, files: readonly string[]): Promise<NodesOfFile[]> {
  const results: NodesOfFile[] = [];
  const errors: Array<[file: string, error: Error]> = [];
  for (const file of files) {
    try {
      const result = createNodes(file);
      if (result) results.push([file, result]);
    } catch (error) {
      errors.push([file, error as Error]);
    }
  }
  if (errors.length === 0) return results;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only on failure, from the workspace's own nx
  const { AggregateCreateNodesError } = require('nx/src/project-graph/error-types') as typeof import('nx/src/project-graph/error-types');
  throw new AggregateCreateNodesError(errors, results as Array<[string, CreateNodesResult]>);
}
