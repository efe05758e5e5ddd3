import { setTimeout as sleep } from 'node:timers/promises';
import { RegistryError } from './registry-error';

/**
 * What a readback says about one write (spec publish-pipeline-later §6.2, `registry_publication.py`): the exact state
 * is there (`equivalent`), provably not there (`absent`), something else is there (`divergent`), or the registry
 * could not say (`unavailable`). Only `absent` makes another write safe.
 */
export type Proof =
  | { state: 'equivalent'; detail: string }
  | { state: 'absent'; detail: string }
  | { state: 'divergent'; detail: string }
  | { state: 'unavailable'; detail: string };

/** What one write was answered, as far as a retry is concerned; any other answer is thrown by the write itself. */
export type WriteAnswer =
  /** 200. `changed: false` when the registry says the state was already there. */
  | { kind: 'done'; changed: boolean }
  /** 409: something is already there; only the readback says whether it is ours. */
  | { kind: 'conflict'; body: string }
  /** 5xx, a timeout or a dropped connection: the write may or may not have happened. */
  | { kind: 'uncertain'; reason: string; timedOut?: boolean; status?: number };

/** How a proved write ended: written now, already there, or written although its answer was lost. */
export type WriteState = 'changed' | 'unchanged' | 'recovered';

export interface ProvedWrite {
  state: WriteState;
  attempts: number;
  proof: string;
  /** For `recovered`: what the answer was (`HTTP 503`, `a timeout`, `a dropped connection`). */
  recoveredFrom?: string;
}

export const MAX_ATTEMPTS = 3;

export interface ProvedWriteSteps {
  /** What is written, for messages: `POST https://…/w/skills/skills`. */
  what: string;
  write: () => Promise<WriteAnswer>;
  prove: () => Promise<Proof>;
  /** The message of a write that did not end equivalent; it says what the registry did and what to do. */
  failure: (failure: WriteFailure) => string;
  log?: (line: string) => void;
  /** Delay before attempt n+1 is n times this (1 s, then 2 s, as the pipeline). */
  retryDelayMs?: number;
  remainingMs: () => number;
}

export type WriteFailure =
  | { why: 'divergent' | 'unavailable'; answer: string; proof: Proof; attempt: number }
  /** The registry said it wrote (200, or 409 "already there") but the readback finds nothing. */
  | { why: 'absent-after-answer'; answer: string; proof: Proof; attempt: number }
  | { why: 'exhausted'; answer: string; proof: Proof; attempt: number };

/**
 * Writes, reads back, and lets the readback decide; retries only while the state is provably absent (at most
 * MAX_ATTEMPTS writes), so a write the registry may already have made is never made twice.
 */
export async function provedWrite(steps: ProvedWriteSteps): Promise<ProvedWrite> {
  const log = steps.log ?? (() => undefined);
  const delayMs = steps.retryDelayMs ?? 1000;
  let attempt = 1;
  for (;;) {
    const answer = await steps.write();
    const proof = await steps.prove();
    const label = answerLabel(answer);
    if (proof.state === 'equivalent') {
      const state: WriteState = answer.kind === 'uncertain' ? 'recovered' : answer.kind === 'conflict' || !answer.changed ? 'unchanged' : 'changed';
      return { state, attempts: attempt, proof: proof.detail, ...(answer.kind === 'uncertain' ? { recoveredFrom: recoveredFrom(answer) } : {}) };
    }
    if (proof.state !== 'absent') throw new RegistryError(steps.failure({ why: proof.state, answer: label, proof, attempt }), { attempts: attempt });
    if (answer.kind !== 'uncertain') throw new RegistryError(steps.failure({ why: 'absent-after-answer', answer: label, proof, attempt }), { attempts: attempt });
    const wait = delayMs * attempt;
    if (attempt >= MAX_ATTEMPTS || steps.remainingMs() <= wait) {
      throw new RegistryError(steps.failure({ why: 'exhausted', answer: label, proof, attempt }), { attempts: attempt });
    }
    log(`${steps.what}: ${label}; the readback proves nothing was written (${proof.detail}), retrying in ${wait} ms`);
    await sleep(wait);
    attempt++;
  }
}

export function answerLabel(answer: WriteAnswer): string {
  if (answer.kind === 'done') return answer.changed ? 'the registry answered 200' : 'the registry answered 200 (changed: false)';
  if (answer.kind === 'conflict') return 'the registry answered 409 (conflict)';
  return answer.status ? `the registry answered ${answer.status}` : `no answer (${answer.reason})`;
}

function recoveredFrom(answer: Extract<WriteAnswer, { kind: 'uncertain' }>): string {
  if (answer.timedOut) return 'a timeout';
  return answer.status ? `HTTP ${answer.status}` : 'a dropped connection';
}
