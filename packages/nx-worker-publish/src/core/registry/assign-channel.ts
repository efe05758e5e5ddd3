import { moveChannel, channelPath } from './move-channel';
import { provedWrite, type Proof, type ProvedWrite, type WriteFailure } from './proof';
import { pointer, readChannel } from './read-channel';
import { truncateBody, type RegistryClient } from './registry-client';
import { RegistryError } from './registry-error';

export interface ChannelMove {
  worker: string;
  tag: string;
  version: string;
  /** The pointer read before any write; null = expected unassigned. */
  expected: string | null;
  /** Appended to every failure: what is already done and how to finish. */
  note: string;
  log?: (line: string) => void;
  retryDelayMs?: number;
}

/**
 * Moves a channel by compare-and-swap and proves it by the raw pointer (spec publish-pipeline-later §6.2
 * `assign-channel`): at the version = equivalent, still at the expected pointer = absent (safe to retry), anywhere
 * else = divergent. A 5xx whose readback shows the move is `recovered`; a 200 with `changed: false` is `unchanged`.
 */
export async function assignChannel(client: RegistryClient, move: ChannelMove): Promise<ProvedWrite> {
  const { worker, tag, version, expected } = move;
  const url = client.shown(channelPath(worker, tag));
  let conflictBody = '';
  return provedWrite({
    what: `PUT ${url}`,
    log: move.log,
    retryDelayMs: move.retryDelayMs,
    remainingMs: () => client.remainingMs(),
    write: async () => {
      move.log?.(`PUT ${url} {version: ${version}, expected_current_version: ${expected ?? 'null'}}`);
      const answer = await moveChannel(client, { worker, tag, version, expected });
      if (answer.kind === 'rejected') {
        throw new RegistryError(
          `PUT ${url} failed: the registry refused the channel move with ${answer.status}. Response: ${truncateBody(answer.body)}. ${rejectionHint(answer.status)} ${move.note}`,
          { url, status: answer.status, body: truncateBody(answer.body) },
        );
      }
      if (answer.kind === 'conflict') conflictBody = answer.body;
      return answer;
    },
    prove: () => proveChannel(client, worker, tag, version, expected),
    failure: (failure) => channelFailure(url, move, failure, conflictBody),
  });
}

/** The raw pointer of `tag` against the move from `expected` to `version`. */
export async function proveChannel(client: RegistryClient, worker: string, tag: string, version: string, expected: string | null): Promise<Proof> {
  const read = await readChannel(client, worker, tag);
  if (read.state === 'unavailable') return { state: 'unavailable', detail: read.reason };
  if (read.version === version) return { state: 'equivalent', detail: `channel ${tag} points to ${version}` };
  if (read.version === expected) return { state: 'absent', detail: `channel ${tag} is still ${pointer(expected)}` };
  return { state: 'divergent', detail: `channel ${tag} points to ${pointer(read.version)}` };
}

function channelFailure(url: string, move: ChannelMove, failure: WriteFailure, conflictBody: string): string {
  const { tag, version, expected, note } = move;
  const from = pointer(expected);
  if (failure.why === 'divergent' && failure.answer.includes('409')) {
    return (
      `channel CAS conflict on ${tag}: this publish read ${tag} at ${from} and asked the registry to move it to ${version}; the registry refused (409) ` +
      `because ${failure.proof.detail.replace(`channel ${tag} points to `, 'it now points to ')}: someone else moved it meanwhile. Nothing was overwritten. ` +
      `Check who released ${move.worker} meanwhile; to move ${tag} anyway, run publish-interface again (it reads the new pointer). ${note}`
    );
  }
  if (failure.why === 'divergent') {
    return `PUT ${url}: ${failure.answer}, and ${failure.proof.detail} (neither ${from}, as read before, nor ${version}): someone else moved it meanwhile. Nothing more was written. ${note}`;
  }
  if (failure.why === 'unavailable') {
    return `PUT ${url}: ${failure.answer}, and the move cannot be proved (${failure.proof.detail}). It was not sent again, so nothing is written twice. ${note}`;
  }
  if (failure.why === 'absent-after-answer' && failure.answer.includes('409')) {
    return (
      `PUT ${url}: the registry refused the move of ${tag} (409) although its own readback shows ${tag} still at ${from}, the pointer this publish expected: ` +
      `the registry contradicts itself (response: ${truncateBody(conflictBody)}). Nothing was overwritten. Run publish-interface again; if it persists, report it to the registry's operators. ${note}`
    );
  }
  if (failure.why === 'absent-after-answer') {
    return `PUT ${url}: ${failure.answer}, but ${failure.proof.detail}: the registry did not apply the move it confirmed. Run publish-interface again; if it persists, report it to the registry's operators. ${note}`;
  }
  return `PUT ${url}: ${failure.answer} ${failure.attempt} times, and ${failure.proof.detail}, so ${tag} was not moved to ${version}. Run publish-interface again when the registry is healthy. ${note}`;
}

function rejectionHint(status: number): string {
  if (status === 401 || status === 403) return 'The key was not accepted for channel moves: check that it may write this worker.';
  if (status === 404 || status === 422) return 'The registry does not know this worker or version: check `worker` and that the version was published.';
  if (status >= 300 && status < 400) return "The registry redirects: set `apiUrl` to the registry's final address.";
  return '';
}
