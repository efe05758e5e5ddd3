import { truncateBody, type RegistryClient } from './registry-client';

/** The readback of one version: the evidence every write is judged by. */
export type VersionReadback =
  | { state: 'present'; detail: Record<string, unknown> }
  | { state: 'absent' }
  /** The registry could not say (down, timed out, an unexpected answer): never a reason to write again. */
  | { state: 'unavailable'; reason: string };

export const versionPath = (worker: string, version: string) => `/w/${encodeURIComponent(worker)}?version=${encodeURIComponent(version)}`;

/** `GET /w/<worker>?version=<v>`: the stored version's detail, or that it is absent. */
export async function readVersion(client: RegistryClient, worker: string, version: string): Promise<VersionReadback> {
  const path = versionPath(worker, version);
  const answer = await client.send('GET', path);
  if (answer.kind === 'transport') return { state: 'unavailable', reason: `GET ${client.shown(path)}: ${answer.reason}` };
  if (answer.status === 404) return { state: 'absent' };
  const error = (answer.json as { error?: { code?: unknown } } | undefined)?.error;
  if (answer.status === 422 && (error?.code === 'version_not_found' || error?.code === 'worker_not_found')) return { state: 'absent' };
  const worker_ = (answer.json as { worker?: unknown } | undefined)?.worker;
  if (answer.status === 200 && worker_ && typeof worker_ === 'object' && !Array.isArray(worker_)) {
    return { state: 'present', detail: worker_ as Record<string, unknown> };
  }
  return { state: 'unavailable', reason: `GET ${client.shown(path)} answered ${answer.status}: ${truncateBody(answer.body)}` };
}
