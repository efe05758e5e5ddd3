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

describe('matchWorker with known own processes', () => {
  const withPid = (id: string, pid: number, functionIds: string[]): WorkerCandidate => ({ ...worker(id, `host:${pid}`, functionIds), pid });

  it('does not take a stranger as "the only new worker"', () => {
    expect(matchWorker('mcp', [withPid('1', 100, ['tools::call'])], (pid) => pid === 200)).toBeNull();
  });

  it('takes its own process among strangers', () => {
    const result = matchWorker('mcp', [withPid('1', 100, ['a::x']), withPid('2', 200, ['tools::call'])], (pid) => pid === 200);
    expect(result).toMatchObject({ rule: 'single-new-worker', match: { id: '2' } });
  });
});
