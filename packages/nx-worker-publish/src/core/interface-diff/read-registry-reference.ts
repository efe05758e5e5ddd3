import { readChannel } from '../registry/read-channel';
import { readVersion } from '../registry/read-version';
import { RegistryClient } from '../registry/registry-client';
import type { InterfaceLike } from './diff-interfaces';
import type { DiffReference } from './interface-diff-report';

export type RegistryReference =
  | { state: 'read'; reference: DiffReference; iface: InterfaceLike }
  /** The registry could not say (down, not reachable from a fork's pull request, an unexpected answer). */
  | { state: 'unavailable'; reason: string };

export interface RegistryReferenceRequest {
  apiUrl: string;
  worker: string;
  /** The channel whose version is the reference (`latest` unless told otherwise). */
  tag: string;
  /** Deadline of both reads together. */
  timeoutMs: number;
}

/**
 * The interface users install today: the version `tag` points at, read the way the publish gate reads it
 * (`GET /w/<worker>/versions`, then `GET /w/<worker>?version=`). Reads need no API key.
 */
export async function readRegistryReference(request: RegistryReferenceRequest): Promise<RegistryReference> {
  const client = new RegistryClient({ apiUrl: request.apiUrl, deadline: Date.now() + request.timeoutMs, requestTimeoutMs: request.timeoutMs });
  try {
    const channel = await readChannel(client, request.worker, request.tag);
    if (channel.state === 'unavailable') return { state: 'unavailable', reason: channel.reason };
    const current = channel.version;
    if (!current) {
      // Nothing is installed from this channel yet: nobody relies on anything, every entry is new.
      return { state: 'read', reference: { kind: 'none', label: `nothing (registry channel ${request.tag} of ${request.worker} is unassigned)` }, iface: {} };
    }
    const readback = await readVersion(client, request.worker, current);
    if (readback.state === 'unavailable') return { state: 'unavailable', reason: readback.reason };
    if (readback.state === 'absent') {
      return { state: 'unavailable', reason: `channel ${request.tag} points to ${current}, but ${client.shown(`/w/${request.worker}?version=${current}`)} has no such version` };
    }
    return { state: 'read', reference: { kind: 'registry', label: `${current} (registry channel ${request.tag})`, version: current }, iface: readback.detail };
  } finally {
    await client.close();
  }
}
