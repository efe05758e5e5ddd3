import type { RegistryAnswer, RegistryClient } from './registry-client';

/** What one `POST /publish` told us. Only a readback decides whether the version is stored. */
export type PostOutcome =
  | { kind: 'accepted' }
  /** 200, but the body says it failed (`{"ok":false}`, an `error`) or echoes another version: not a success. */
  | { kind: 'refused'; status: number; body: string; problem: string }
  | { kind: 'conflict'; body: string }
  /** 5xx, a timeout or a reset: the version may or may not be stored. */
  | { kind: 'uncertain'; reason: string; timedOut: boolean; status?: number }
  /** Any other answer: the registry refused the write (401, 422, ...). */
  | { kind: 'rejected'; status: number; body: string; location?: string };

/** POSTs the serialized payload (the same bytes a dry run writes) to `{apiUrl}/publish` once. */
export async function postVersion(client: RegistryClient, payloadText: string, version: string): Promise<PostOutcome> {
  return classify(await client.send('POST', '/publish', payloadText), version);
}

function classify(answer: RegistryAnswer, version: string): PostOutcome {
  if (answer.kind === 'transport') return { kind: 'uncertain', reason: answer.reason, timedOut: answer.timedOut };
  const { status, body, json } = answer;
  if (status === 200) {
    const problem = bodyProblem(json, version);
    return problem ? { kind: 'refused', status, body, problem } : { kind: 'accepted' };
  }
  if (status === 409) return { kind: 'conflict', body };
  if (status >= 500) return { kind: 'uncertain', reason: `HTTP ${status}`, timedOut: false, status };
  return { kind: 'rejected', status, body, location: answer.location };
}

/** A 200 must echo the version (`{"version": {"version": v}}`) and carry no failure flag. */
function bodyProblem(json: unknown, version: string): string | undefined {
  if (!json || typeof json !== 'object') return 'its body is not the JSON the registry sends on success';
  const body = json as { ok?: unknown; error?: unknown; version?: { version?: unknown } | unknown };
  if (body.ok === false || body.error !== undefined) return 'its body reports a failure';
  const echoed = body.version && typeof body.version === 'object' ? (body.version as { version?: unknown }).version : body.version;
  if (echoed !== version) return `it returned a different version (${JSON.stringify(echoed ?? null)}, expected "${version}")`;
  return undefined;
}
