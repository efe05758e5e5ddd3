import { assignChannel } from './assign-channel';
import { pointer, readChannel } from './read-channel';
import type { RegistryClient } from './registry-client';
import { RegistryError } from './registry-error';
import { unavailableAdvice } from './unavailable-advice';
import type { WriteState } from './proof';
import { compareVersions } from './version-order';

export interface NextFloor {
  worker: string;
  /** The version being published to latest. */
  version: string;
  /** `next` as read before anything was written; null = unassigned. */
  expectedNext: string | null;
  note: string;
  log?: (line: string) => void;
  retryDelayMs?: number;
}

export type NextFloorResult = { state: WriteState | 'kept-ahead'; from: string | null; to: string };

/**
 * Publishing to `latest` lifts `next` to the same version when `next` is unassigned or semver-behind it, so `next`
 * is never older than `latest` (spec publish-pipeline-later §6.2 `advance-next-floor`). `next` never moves
 * backwards, and a `next` someone else moved since we read it fails naming both pointers.
 */
export async function advanceNextFloor(client: RegistryClient, floor: NextFloor): Promise<NextFloorResult> {
  const { worker, version, expectedNext } = floor;
  const read = await readChannel(client, worker, 'next');
  if (read.state === 'unavailable') {
    throw new RegistryError(`Cannot read channel next of ${worker} to lift it to ${version} (${read.reason}); nothing was moved. ${unavailableAdvice(read.reason)} ${floor.note}`.replace('  ', ' '));
  }
  const now = read.version;
  if (now === version) return { state: 'unchanged', from: now, to: version };
  if (now !== expectedNext) {
    throw new RegistryError(
      `channel next of ${worker} changed outside this publish: it ${now ? `points to ${now}` : 'is unassigned'} now, but it was ${pointer(expectedNext)} when this publish read it. ` +
        `next was not lifted to ${version} and latest was not moved, so nothing someone else did is overwritten. Check who moved next, then run publish-interface again. ${floor.note}`,
    );
  }
  if (now !== null) {
    const order = compareVersions(now, version);
    if (order === undefined || order > 0) {
      floor.log?.(`channel next stays at ${now}: ${order === undefined ? 'its version cannot be ordered against' : 'it is ahead of'} ${version}, and next never moves backwards`);
      return { state: 'kept-ahead', from: now, to: now };
    }
  }
  const moved = await assignChannel(client, { worker, tag: 'next', version, expected: now, note: floor.note, log: floor.log, retryDelayMs: floor.retryDelayMs });
  return { state: moved.state, from: now, to: version };
}
