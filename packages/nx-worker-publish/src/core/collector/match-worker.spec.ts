import { matchWorker, WorkerMatchError, type WorkerCandidate } from './match-worker';

const worker = (id: string, name: string | null, functionIds: string[], internal = false): WorkerCandidate => ({
  id,
  name,
  runtime: internal ? 'engine' : 'node',
  internal,
  functionIds,
});

describe('matchWorker', () => {
  it('matches by name first, even when another worker shares the namespace', () => {
    const result = matchWorker('skills', [worker('1', 'runner:42', ['skills::other']), worker('2', 'skills', ['skills::list'])]);
    expect(result).toMatchObject({ rule: 'name', match: { id: '2' } });
  });

  it('matches by id', () => {
    expect(matchWorker('w-1', [worker('w-1', null, ['x::y']), worker('w-2', null, [])])).toMatchObject({ rule: 'name', match: { id: 'w-1' } });
  });

  it('matches an unnamed worker by its kebab-case namespace', () => {
    const result = matchWorker('iii-database', [worker('1', 'host:1', ['iii-database::query']), worker('2', 'host:2', ['other::x'])]);
    expect(result).toMatchObject({ rule: 'namespace', match: { id: '1' } });
  });

  it('matches an unnamed worker by its snake_case namespace', () => {
    const result = matchWorker('image-resize', [worker('1', 'host:1', ['image_resize::resize']), worker('2', 'host:2', ['other::x'])]);
    expect(result).toMatchObject({ rule: 'namespace', match: { id: '1' } });
  });

  it('falls back to the single new non-internal worker', () => {
    const result = matchWorker('mcp', [worker('engine-fns', 'iii-engine-functions', ['engine::x'], true), worker('1', 'host:1', ['tools::call'])]);
    expect(result).toMatchObject({ rule: 'single-new-worker', match: { id: '1' } });
  });

  it('returns null while nothing decides (no worker yet, or two unrelated ones)', () => {
    expect(matchWorker('mcp', [])).toBeNull();
    expect(matchWorker('mcp', [worker('1', 'a', ['a::x']), worker('2', 'b', ['b::x'])])).toBeNull();
  });

  it('throws listing the candidates when two workers claim the name', () => {
    const run = () => matchWorker('skills', [worker('1', 'skills', ['skills::a']), worker('2', 'skills', ['skills::b'])]);
    expect(run).toThrow(WorkerMatchError);
    expect(run).toThrow(/2 new workers are named skills.*id 1: skills::a.*id 2: skills::b/);
  });
});
