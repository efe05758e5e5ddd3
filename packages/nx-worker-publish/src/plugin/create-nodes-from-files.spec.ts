import { AggregateCreateNodesError } from 'nx/src/project-graph/error-types';
import { createNodesFromFiles } from './create-nodes-from-files';

describe('createNodesFromFiles', () => {
  const nodes = (file: string) => ({ projects: { [file.replace('/iii.worker.yaml', '')]: { root: file } } });

  it('pairs each file with its nodes, in order, and leaves out files that make none', async () => {
    const results = await createNodesFromFiles((file) => (file.startsWith('b') ? {} : nodes(file)), ['a/iii.worker.yaml', 'b/Cargo.lock', 'c/iii.worker.yaml']);
    expect(results).toEqual([
      ['a/iii.worker.yaml', nodes('a/iii.worker.yaml')],
      ['b/Cargo.lock', {}],
      ['c/iii.worker.yaml', nodes('c/iii.worker.yaml')],
    ]);
  });

  it("throws Nx's own aggregate error: each failing file with its error, and the other files' nodes kept", async () => {
    const failure = new Error('broken manifest');
    const thrown = await createNodesFromFiles(
      (file) => {
        if (file.startsWith('b')) throw failure;
        return nodes(file);
      },
      ['a/iii.worker.yaml', 'b/iii.worker.yaml'],
    ).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(AggregateCreateNodesError);
    expect((thrown as AggregateCreateNodesError).errors).toEqual([['b/iii.worker.yaml', failure]]);
    expect((thrown as AggregateCreateNodesError).partialResults).toEqual([['a/iii.worker.yaml', nodes('a/iii.worker.yaml')]]);
  });
});
