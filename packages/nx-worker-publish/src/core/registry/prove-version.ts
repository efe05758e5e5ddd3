import type { PublishPayload } from '../payload/publish-payload';
import type { Proof } from './proof';
import { compareResolved } from './compare-resolved';
import { compareVersion } from './compare-version';
import type { RegistryClient } from './registry-client';
import { readVersion } from './read-version';
import { resolveVersion } from './resolve-version';

/**
 * Proves one exact version by both read surfaces (spec publish-pipeline-later §6.2 `prove_version`): the detail
 * `GET /w/<w>?version=` field by field, and the resolved root `POST /resolve {worker, version}` with what installs.
 * Absent only when both say so; one present and one absent is a registry we cannot read consistently.
 */
export async function proveVersion(client: RegistryClient, payload: PublishPayload): Promise<Proof> {
  const { worker_name: worker, version } = payload;
  const detail = await readVersion(client, worker, version);
  const resolved = await resolveVersion(client, worker, version);
  if (detail.state === 'unavailable') return { state: 'unavailable', detail: detail.reason };
  if (resolved.state === 'unavailable') return { state: 'unavailable', detail: resolved.reason };
  if (detail.state === 'absent' && resolved.state === 'absent') return { state: 'absent', detail: `${worker} ${version} is absent from the detail and from /resolve` };
  if (detail.state === 'absent' || resolved.state === 'absent') {
    const [there, missing] = detail.state === 'absent' ? ['/resolve', 'the detail'] : ['the detail', '/resolve'];
    return { state: 'unavailable', detail: `${worker} ${version} is in ${there} but absent from ${missing}` };
  }
  if (resolved.state === 'malformed') return { state: 'divergent', detail: resolved.reason };
  const differences = [...compareVersion(payload, detail.detail), ...compareResolved(payload, resolved.node)];
  if (differences.length > 0) return { state: 'divergent', detail: differences.join('; ') };
  return { state: 'equivalent', detail: 'the detail and the resolved root match the payload' };
}
