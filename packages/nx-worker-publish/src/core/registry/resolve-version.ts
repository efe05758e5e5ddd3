import { truncateBody, type RegistryClient } from './registry-client';

/** `POST /resolve` for one exact version: the root graph node the engine installs from, or that it is absent. */
export type ResolveReadback =
  | { state: 'present'; node: Record<string, unknown> }
  | { state: 'absent' }
  | { state: 'unavailable'; reason: string }
  /** An answer that is not about the exact version asked for (another root, no unique root node). */
  | { state: 'malformed'; reason: string };

/**
 * `POST /resolve {worker, version}` (spec publish-pipeline-later §6.1). Missing is `404`, or `422` with `error.code`
 * `version_not_found` / `worker_not_found`. The root must be the exact worker and version, with exactly one graph node
 * of that name: the node carries what installs (binaries, image, or archive_url + sha256).
 */
export async function resolveVersion(client: RegistryClient, worker: string, version: string): Promise<ResolveReadback> {
  const answer = await client.send('POST', '/resolve', JSON.stringify({ worker, version }), 'read');
  const url = client.shown('/resolve');
  if (answer.kind === 'transport') return { state: 'unavailable', reason: `POST ${url}: ${answer.reason}` };
  if (answer.status === 404) return { state: 'absent' };
  const body = (answer.json ?? {}) as { error?: { code?: unknown }; root?: { name?: unknown; version?: unknown }; graph?: unknown };
  if (answer.status === 422 && (body.error?.code === 'version_not_found' || body.error?.code === 'worker_not_found')) return { state: 'absent' };
  if (answer.status !== 200 || !body.root || typeof body.root !== 'object' || !Array.isArray(body.graph)) {
    return { state: 'unavailable', reason: `POST ${url} answered ${answer.status}: ${truncateBody(answer.body)}` };
  }
  if (body.root.name !== worker || body.root.version !== version) {
    return { state: 'malformed', reason: `POST ${url} resolved ${String(body.root.name)}@${String(body.root.version)}, not ${worker}@${version}` };
  }
  const nodes = body.graph.filter((node): node is Record<string, unknown> => !!node && typeof node === 'object' && (node as { name?: unknown }).name === worker);
  if (nodes.length !== 1 || nodes[0].version !== version) {
    return { state: 'malformed', reason: `POST ${url}: the resolved graph has no unique node for ${worker}@${version}` };
  }
  return { state: 'present', node: nodes[0] };
}
