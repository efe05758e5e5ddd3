import { truncateBody, type RegistryClient } from './registry-client';

export type ChannelReadback =
  /** `version` is null when the channel is unassigned (or the worker has no versions yet). */
  | { state: 'read'; version: string | null }
  | { state: 'unavailable'; reason: string };

export const versionsPath = (worker: string) => `/w/${encodeURIComponent(worker)}/versions`;

/**
 * Where a channel points today, from `GET /w/<worker>/versions`: the channel is whichever version carries it in
 * `tags`. Two versions carrying it is a registry inconsistency we refuse to build on.
 */
export async function readChannel(client: RegistryClient, worker: string, tag: string): Promise<ChannelReadback> {
  const path = versionsPath(worker);
  const answer = await client.send('GET', path);
  const url = client.shown(path);
  if (answer.kind === 'transport') return { state: 'unavailable', reason: `GET ${url}: ${answer.reason}` };
  if (answer.status === 404) return { state: 'read', version: null };
  const versions = (answer.json as { versions?: unknown } | undefined)?.versions;
  if (answer.status !== 200 || !Array.isArray(versions)) {
    return { state: 'unavailable', reason: `GET ${url} answered ${answer.status}: ${truncateBody(answer.body)}` };
  }
  const carrying = versions
    .filter((row) => {
      const { tags, tag: single } = (row ?? {}) as { tags?: unknown; tag?: unknown };
      return Array.isArray(tags) ? tags.includes(tag) : single === tag;
    })
    .map((row) => String((row as { version?: unknown }).version));
  if (carrying.length > 1) {
    return { state: 'unavailable', reason: `GET ${url}: channel ${tag} points to multiple versions (${carrying.join(', ')})` };
  }
  return { state: 'read', version: carrying[0] ?? null };
}
