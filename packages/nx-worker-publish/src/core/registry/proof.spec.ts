import { provedWrite, type Proof, type WriteAnswer, type WriteFailure } from './proof';
import { RegistryError } from './registry-error';

/** Drives provedWrite with scripted answers and readbacks; counts the writes. */
function script(answers: WriteAnswer[], proofs: Proof['state'][]) {
  const failures: WriteFailure[] = [];
  let writes = 0;
  const run = provedWrite({
    what: 'PUT x',
    retryDelayMs: 1,
    remainingMs: () => 60_000,
    write: async () => answers[Math.min(writes++, answers.length - 1)],
    prove: async () => ({ state: proofs[Math.min(writes - 1, proofs.length - 1)], detail: `proof ${writes}` }) as Proof,
    failure: (failure) => {
      failures.push(failure);
      return `failed: ${failure.why}`;
    },
  });
  return { run, failures, writes: () => writes };
}

const done: WriteAnswer = { kind: 'done', changed: true };
const same: WriteAnswer = { kind: 'done', changed: false };
const conflict: WriteAnswer = { kind: 'conflict', body: '{}' };
const http503: WriteAnswer = { kind: 'uncertain', reason: 'HTTP 503', status: 503 };
const dropped: WriteAnswer = { kind: 'uncertain', reason: 'socket hang up' };

describe('provedWrite: the readback decides, and only "absent" is retried', () => {
  it('200 + equivalent = changed', async () => {
    const { run, writes } = script([done], ['equivalent']);
    expect(await run).toEqual({ state: 'changed', attempts: 1, proof: 'proof 1' });
    expect(writes()).toBe(1);
  });

  it('200 with changed: false + equivalent = unchanged', async () => {
    expect((await script([same], ['equivalent']).run).state).toBe('unchanged');
  });

  it('409 + equivalent = unchanged', async () => {
    expect((await script([conflict], ['equivalent']).run).state).toBe('unchanged');
  });

  it('5xx + equivalent = recovered, naming what was lost', async () => {
    expect(await script([http503], ['equivalent']).run).toMatchObject({ state: 'recovered', recoveredFrom: 'HTTP 503' });
    expect(await script([dropped], ['equivalent']).run).toMatchObject({ state: 'recovered', recoveredFrom: 'a dropped connection' });
  });

  it('5xx + absent is retried, then equivalent', async () => {
    const { run, writes } = script([http503, http503, done], ['absent', 'absent', 'equivalent']);
    expect(await run).toMatchObject({ state: 'changed', attempts: 3 });
    expect(writes()).toBe(3);
  });

  it('absent three times: at most 3 writes, then "exhausted"', async () => {
    const { run, writes, failures } = script([http503], ['absent']);
    await expect(run).rejects.toThrow(new RegistryError('failed: exhausted'));
    expect(writes()).toBe(3);
    expect(failures[0]).toMatchObject({ attempt: 3, answer: 'the registry answered 503' });
  });

  it.each<[string, WriteAnswer]>([
    ['200', done],
    ['5xx', http503],
    ['409', conflict],
  ])('%s + divergent fails at once, never written again', async (_label, answer) => {
    const { run, writes } = script([answer], ['divergent']);
    await expect(run).rejects.toThrow('failed: divergent');
    expect(writes()).toBe(1);
  });

  it('5xx + unavailable fails at once: a write that may have happened is never repeated', async () => {
    const { run, writes } = script([http503], ['unavailable']);
    await expect(run).rejects.toThrow('failed: unavailable');
    expect(writes()).toBe(1);
  });

  it('200 or 409 + absent: the registry confirmed what it does not serve, not retried', async () => {
    for (const answer of [done, conflict]) {
      const { run, writes } = script([answer], ['absent']);
      await expect(run).rejects.toThrow('failed: absent-after-answer');
      expect(writes()).toBe(1);
    }
  });

  it('no time left for the next delay: stops after the write it made', async () => {
    const failures: WriteFailure[] = [];
    let writes = 0;
    const run = provedWrite({
      what: 'POST x',
      retryDelayMs: 1000,
      remainingMs: () => 500,
      write: async () => (writes++, http503),
      prove: async () => ({ state: 'absent', detail: 'none' }),
      failure: (failure) => (failures.push(failure), 'out of time'),
    });
    await expect(run).rejects.toThrow('out of time');
    expect(writes).toBe(1);
  });
});
