import type { PublishPayload } from '../payload/publish-payload';
import { postVersion } from './post-version';
import { provedWrite, type ProvedWrite, type WriteFailure } from './proof';
import { proveVersion } from './prove-version';
import { truncateBody, type RegistryClient } from './registry-client';
import { RegistryError } from './registry-error';
import { statusHint } from './status-hint';

export interface VersionPublish {
  payload: PublishPayload;
  /** The serialized payload, sent byte for byte (the same bytes a dry run writes). */
  payloadText: string;
  apiKeyEnv: string;
  log?: (line: string) => void;
  retryDelayMs?: number;
}

/**
 * `POST /publish`, proved by the detail and the resolved artifact (spec publish-pipeline-later §6.2
 * `publish-version`): 200 = changed, 409 = unchanged when the stored version is equivalent, a 5xx or a lost answer =
 * recovered when the readback shows it stored. Retried only while both read surfaces say the version is absent.
 */
export async function publishVersion(client: RegistryClient, publish: VersionPublish): Promise<ProvedWrite> {
  const { payload } = publish;
  const url = client.shown('/publish');
  let attempt = 0;
  return provedWrite({
    what: `POST ${url}`,
    log: publish.log,
    retryDelayMs: publish.retryDelayMs,
    remainingMs: () => client.remainingMs(),
    write: async () => {
      attempt++;
      publish.log?.(`POST ${url} (attempt ${attempt})`);
      const outcome = await postVersion(client, publish.payloadText, payload.version);
      if (outcome.kind === 'rejected') {
        const hint = statusHint(outcome.status, publish.apiKeyEnv, outcome.location);
        throw new RegistryError(`POST ${url} failed: the registry answered ${outcome.status}. Response: ${truncateBody(outcome.body)}${hint ? `\n${hint}` : ''}`, {
          url,
          status: outcome.status,
          body: truncateBody(outcome.body),
          attempts: attempt,
        });
      }
      if (outcome.kind === 'refused') {
        throw new RegistryError(
          `POST ${url} answered ${outcome.status}, but ${outcome.problem}: ${truncateBody(outcome.body)}. The publish is not counted as done; ` +
            'check that `apiUrl` points at the workers registry.',
          { url, status: outcome.status, body: truncateBody(outcome.body), attempts: attempt },
        );
      }
      if (outcome.kind === 'accepted') return { kind: 'done', changed: true };
      if (outcome.kind === 'conflict') return { kind: 'conflict', body: outcome.body };
      return { kind: 'uncertain', reason: outcome.reason, timedOut: outcome.timedOut, status: outcome.status };
    },
    prove: () => proveVersion(client, payload),
    failure: (failure) => versionFailure(url, payload, failure, client.remainingMs() <= 0),
  });
}

function versionFailure(url: string, payload: PublishPayload, failure: WriteFailure, outOfTime: boolean): string {
  const id = `${payload.worker_name} ${payload.version}`;
  if (failure.why === 'divergent' && failure.answer.includes('409')) {
    return (
      `${id} is already published with other contents, and a published version is immutable: the registry keeps what was published first ` +
      `and never replaces it. The stored version differs from this one in: ${failure.proof.detail}. To ship the change, release a new version ` +
      '(bump the version in the worker\'s manifest and tag it); nothing was written.'
    );
  }
  if (failure.why === 'divergent') {
    return (
      `${id} is stored, but not as sent (${failure.answer}); the readback differs in: ${failure.proof.detail}. A version is immutable, so it is not sent again ` +
      'and no channel was moved: check the registry (or report it to its operators), then release a new version.'
    );
  }
  if (failure.why === 'unavailable') {
    return (
      `POST ${url}: ${failure.answer}, and the version cannot be proved (${failure.proof.detail}). It was not sent again, so a version the registry ` +
      'may have stored is never written twice; run publish-interface again later (it recognises an identical stored version).'
    );
  }
  if (failure.why === 'absent-after-answer') {
    return (
      `POST ${url}: ${failure.answer}, but the readback says ${id} is absent (${failure.proof.detail}): the registry confirmed a version it does not serve. ` +
      "Run publish-interface again; if it persists, report it to the registry's operators."
    );
  }
  return (
    `POST ${url}: the publish was not verified (${failure.answer}; the version stayed absent) within ${failure.attempt} attempt${failure.attempt === 1 ? '' : 's'}` +
    `${outOfTime ? ' and the publish deadline (publishTimeoutSeconds)' : ''}. Run publish-interface again later (collect-interface is cached, so only the publish repeats).`
  );
}
