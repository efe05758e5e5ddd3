import { provedWrite, type Proof, type ProvedWrite, type WriteFailure } from './proof';
import { pointer, readChannels } from './read-channel';
import { truncateBody, type RegistryClient } from './registry-client';
import { RegistryError } from './registry-error';

export const finalizePath = (worker: string) => `/w/${encodeURIComponent(worker)}/releases/finalize`;

export interface Finalization {
  worker: string;
  /** The `X.Y.Z-rc.N` on next whose stored bytes the stable version reuses. */
  candidate: string;
  /** The pure `X.Y.Z`. */
  stable: string;
  /** `latest` as read before the write; null = unassigned. */
  expectedLatest: string | null;
  log?: (line: string) => void;
  retryDelayMs?: number;
}

/**
 * `POST /w/<w>/releases/finalize {candidate_version, stable_version, expected_latest_version}` (spec
 * publish-pipeline-later §6.1, §6.2 `finalize-release`): the registry mints the stable version from the candidate's
 * bytes and moves `next` and `latest` to it under one lock. Success only when both raw pointers show the stable
 * version; a 409 with both already there is `unchanged`.
 */
export async function finalizeRelease(client: RegistryClient, release: Finalization): Promise<ProvedWrite> {
  const { worker, candidate, stable, expectedLatest } = release;
  const url = client.shown(finalizePath(worker));
  let conflictBody = '';
  return provedWrite({
    what: `POST ${url}`,
    log: release.log,
    retryDelayMs: release.retryDelayMs,
    remainingMs: () => client.remainingMs(),
    write: async () => {
      release.log?.(`POST ${url} {candidate_version: ${candidate}, stable_version: ${stable}, expected_latest_version: ${expectedLatest ?? 'null'}}`);
      const answer = await client.send(
        'POST',
        finalizePath(worker),
        JSON.stringify({ candidate_version: candidate, stable_version: stable, expected_latest_version: expectedLatest }),
      );
      if (answer.kind === 'transport') return { kind: 'uncertain', reason: answer.reason, timedOut: answer.timedOut };
      if (answer.status >= 500) return { kind: 'uncertain', reason: `HTTP ${answer.status}`, status: answer.status };
      if (answer.status === 409) {
        conflictBody = answer.body;
        return { kind: 'conflict', body: answer.body };
      }
      const body = answer.json as { finalize?: { stable_version?: unknown }; changed?: unknown } | undefined;
      if (answer.status === 200 && body?.finalize?.stable_version === stable) return { kind: 'done', changed: body.changed !== false };
      throw new RegistryError(
        `POST ${url} failed: ${answer.status === 200 ? `the registry answered 200 without finalize.stable_version ${stable}` : `the registry refused the finalization with ${answer.status}`}. ` +
          `Response: ${truncateBody(answer.body)}. ${answer.status === 404 || answer.status === 422 ? `Check that ${worker} ${candidate} is published (it is the candidate). ` : ''}` +
          'Nothing was finalized; fix the cause and run finalize-release again.',
        { url, status: answer.status, body: truncateBody(answer.body) },
      );
    },
    prove: () => proveFinalized(client, release),
    failure: (failure) => finalizeFailure(url, release, failure, conflictBody),
  });
}

/** Both raw pointers on the stable version = equivalent; both still where they were = absent; anything else diverges. */
export async function proveFinalized(client: RegistryClient, release: Finalization): Promise<Proof> {
  const read = await readChannels(client, release.worker, ['latest', 'next']);
  if (read.state === 'unavailable') return { state: 'unavailable', detail: read.reason };
  const { latest, next } = read.pointers;
  const shown = `latest points to ${pointer(latest)} and next to ${pointer(next)}`;
  if (latest === release.stable && next === release.stable) return { state: 'equivalent', detail: shown };
  if (latest === release.expectedLatest && next === release.candidate) return { state: 'absent', detail: shown };
  return { state: 'divergent', detail: shown };
}

function finalizeFailure(url: string, release: Finalization, failure: WriteFailure, conflictBody: string): string {
  const plan = `(expected latest ${pointer(release.expectedLatest)} → ${release.stable}, next ${release.candidate} → ${release.stable})`;
  if (failure.answer.includes('409')) {
    return (
      `finalize CAS conflict: the registry refused to finalize ${release.worker} ${release.candidate} as ${release.stable} (409) ${plan}, and ${failure.proof.detail}. ` +
      `Someone else moved a channel meanwhile, so nothing was overwritten (response: ${truncateBody(conflictBody)}). Check the channels, then run finalize-release again (pass --candidate if next moved to another rc).`
    );
  }
  if (failure.why === 'divergent') {
    return `POST ${url}: ${failure.answer}, but ${failure.proof.detail} ${plan}: the finalization did not land as asked. Check the channels before running finalize-release again.`;
  }
  if (failure.why === 'unavailable') {
    return `POST ${url}: ${failure.answer}, and the finalization cannot be proved (${failure.proof.detail}); it was not sent again. Run finalize-release again later: it succeeds at once when both channels already show ${release.stable}.`;
  }
  if (failure.why === 'absent-after-answer') {
    return `POST ${url}: ${failure.answer}, but ${failure.proof.detail}: the registry confirmed a finalization it did not apply. Run finalize-release again; if it persists, report it to the registry's operators.`;
  }
  return `POST ${url}: the finalization was not verified after ${failure.attempt} attempts (${failure.answer}; ${failure.proof.detail}). Run finalize-release again later.`;
}
