import { truncateBody, type RegistryClient } from './registry-client';

/** Where each channel points; null when unassigned (or the worker has no versions yet). */
export type Pointers = Record<string, string | null>;

export type ChannelsReadback = { state: 'read'; pointers: Pointers } | { state: 'unavailable'; reason: string };
export type ChannelReadback = { state: 'read'; version: string | null } | { state: 'unavailable'; reason: string };

export const versionsPath = (worker: string) => `/w/${encodeURIComponent(worker)}/versions`;

/**
 * The raw channel pointers, from one `GET /w/<worker>/versions`: a channel is whichever version carries it in
 * `tags`. Two versions carrying one channel is a registry inconsistency we refuse to build on.
 */
export async function readChannels(client: RegistryClient, worker: string, tags: readonly string[]): Promise<ChannelsReadback> {
  const path = versionsPath(worker);
  const answer = await client.send('GET', path);
  const url = client.shown(path);
  if (answer.kind === 'transport') return { state: 'unavailable', reason: `GET ${url}: ${answer.reason}` };
  if (answer.status === 404) return { state: 'read', pointers: Object.fromEntries(tags.map((tag) => [tag, null])) };
  const versions = (answer.json as { versions?: unknown } | undefined)?.versions;
  if (answer.status !== 200 || !Array.isArray(versions)) {
    const redirect = answer.status >= 300 && answer.status < 400 ? ` (a redirect${answer.location ? ` to ${answer.location}` : ''}: set \`apiUrl\` to the registry's final address)` : '';
    return { state: 'unavailable', reason: `GET ${url} answered ${answer.status}${redirect}: ${truncateBody(answer.body)}` };
  }
  const pointers: Pointers = {};
  for (const tag of tags) {
    const carrying = versions
      .filter((row) => {
        const { tags: list, tag: single } = (row ?? {}) as { tags?: unknown; tag?: unknown };
        return Array.isArray(list) ? list.includes(tag) : single === tag;
      })
      .map((row) => String((row as { version?: unknown }).version));
    if (carrying.length > 1) {
      return {
        state: 'unavailable',
        reason:
          `GET ${url}: the registry reports channel ${tag} on ${carrying.length} versions at once (${carrying.join(', ')}), so where it points cannot be known. ` +
          `This is the registry's inconsistency, not yours: report it to the registry's operators with this URL; a publish resumes once ${tag} names one version`,
      };
    }
    pointers[tag] = carrying[0] ?? null;
  }
  return { state: 'read', pointers };
}

/** One channel's pointer (see readChannels). */
export async function readChannel(client: RegistryClient, worker: string, tag: string): Promise<ChannelReadback> {
  const read = await readChannels(client, worker, [tag]);
  return read.state === 'read' ? { state: 'read', version: read.pointers[tag] } : read;
}

/** A pointer as messages show it. */
export const pointer = (version: string | null | undefined) => (version ? version : 'unassigned');
