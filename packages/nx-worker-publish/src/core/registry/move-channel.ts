import type { RegistryClient } from './registry-client';

export type MoveOutcome =
  | { kind: 'moved' }
  | { kind: 'conflict'; body: string }
  | { kind: 'uncertain'; reason: string }
  | { kind: 'rejected'; status: number; body: string };

export const channelPath = (worker: string, tag: string) => `/w/${encodeURIComponent(worker)}/tags/${encodeURIComponent(tag)}`;

/**
 * `PUT /w/<worker>/tags/<tag>` `{version, expected_current_version}`: a compare-and-swap, so a channel someone else
 * moved since we read it is never overwritten. `expected` null means "expected unassigned".
 */
export async function moveChannel(
  client: RegistryClient,
  move: { worker: string; tag: string; version: string; expected: string | null },
): Promise<MoveOutcome> {
  const answer = await client.send('PUT', channelPath(move.worker, move.tag), JSON.stringify({ version: move.version, expected_current_version: move.expected }));
  if (answer.kind === 'transport') return { kind: 'uncertain', reason: answer.reason };
  if (answer.status === 200) return { kind: 'moved' };
  if (answer.status === 409) return { kind: 'conflict', body: answer.body };
  if (answer.status >= 500) return { kind: 'uncertain', reason: `HTTP ${answer.status}` };
  return { kind: 'rejected', status: answer.status, body: answer.body };
}
