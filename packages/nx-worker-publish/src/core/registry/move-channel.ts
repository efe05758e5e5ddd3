import type { WriteAnswer } from './proof';
import type { RegistryClient } from './registry-client';

export const channelPath = (worker: string, tag: string) => `/w/${encodeURIComponent(worker)}/tags/${encodeURIComponent(tag)}`;

export type MoveAnswer = WriteAnswer | { kind: 'rejected'; status: number; body: string };

/**
 * `PUT /w/<worker>/tags/<tag>` `{version, expected_current_version}`: a compare-and-swap, so a channel someone else
 * moved since we read it is never overwritten. `expected` null means "expected unassigned". A 200 with
 * `"changed": false` means the pointer was already there.
 */
export async function moveChannel(
  client: RegistryClient,
  move: { worker: string; tag: string; version: string; expected: string | null },
): Promise<MoveAnswer> {
  const answer = await client.send('PUT', channelPath(move.worker, move.tag), JSON.stringify({ version: move.version, expected_current_version: move.expected }));
  if (answer.kind === 'transport') return { kind: 'uncertain', reason: answer.reason, timedOut: answer.timedOut };
  if (answer.status === 200) return { kind: 'done', changed: (answer.json as { changed?: unknown } | undefined)?.changed !== false };
  if (answer.status === 409) return { kind: 'conflict', body: answer.body };
  if (answer.status >= 500) return { kind: 'uncertain', reason: `HTTP ${answer.status}`, status: answer.status };
  return { kind: 'rejected', status: answer.status, body: answer.body };
}
