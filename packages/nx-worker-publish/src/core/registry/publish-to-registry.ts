import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { redactSecret } from './redact-secret';
import { RegistryError } from './registry-error';
import { DEFAULT_API_KEY_ENV } from './resolve-api-key';

export interface PublishRetry {
  /** Total attempts, the first included. */
  attempts?: number;
  /** Delay before the second attempt; doubled for each further one. */
  baseDelayMs?: number;
}

export interface PublishOptions {
  apiUrl: string;
  /** The serialized payload, sent byte for byte (the same bytes a dry run writes). */
  payload: string;
  apiKey: string;
  /** Only named in the hint of a 401/403 answer. */
  apiKeyEnv?: string;
  retry?: PublishRetry;
  /** How long one attempt may wait for the registry's answer. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface PublishResult {
  status: number;
  body: string;
  attempts: number;
}

const DEFAULT_ATTEMPTS = 4;
const DEFAULT_BASE_DELAY_MS = 1000;
const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_BODY_CHARS = 2048;
// Gateway answers: the request did not reach a registry that could act on it, so sending it again is safe.
const RETRIED_STATUSES = new Set([502, 503, 504]);
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function publishUrl(apiUrl: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(`${apiUrl.trim().replace(/\/+$/, '')}/publish`);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new RegistryError(
      `The \`apiUrl\` option ${JSON.stringify(apiUrl)} is not an http(s) URL; set it to the registry's base URL, ` +
        'e.g. https://api.workers.iii.dev. Nothing was sent.',
    );
  }
  return url;
}

/** The URL as messages show it: credentials in a URL are secrets too. */
function shownUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

function truncate(body: string): string {
  const text = body.trim();
  if (!text) return '(empty response body)';
  if (text.length <= MAX_BODY_CHARS) return text;
  return `${text.slice(0, MAX_BODY_CHARS)}… (${text.length - MAX_BODY_CHARS} more characters)`;
}

/** Error codes of a transport failure, including wrapped causes and the parts of an AggregateError. */
function errorCodes(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 3) return [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  return [
    ...(typeof code === 'string' ? [code] : []),
    ...errorCodes(cause, depth + 1),
    ...(Array.isArray(errors) ? errors.flatMap((inner) => errorCodes(inner, depth + 1)) : []),
  ];
}

function describeTransportError(error: unknown, timeoutMs: number): string {
  const codes = errorCodes(error);
  if (codes.some((code) => TIMEOUT_CODES.has(code))) return `no answer within ${timeoutMs} ms (${codes[0]})`;
  const message = error instanceof Error ? error.message : String(error);
  const code = codes[0];
  return code && !message.includes(code) ? `${code}: ${message}` : message || code || 'unknown network error';
}

function statusHint(status: number, apiKeyEnv: string, location: string | undefined): string {
  if (status === 401 || status === 403) {
    return `The registry did not accept the API key: check the value of ${apiKeyEnv} (the variable the \`apiKeyEnv\` option names).`;
  }
  if (status === 422) {
    return 'The registry rejected the payload; the response above names the field at fault. Do a dry run (`nx run <project>:publish-interface:dry-run` or NX_DRY_RUN=true) to write the payload and inspect it.';
  }
  if (status >= 200 && status < 300) {
    return 'Only 200 confirms a publish; check that `apiUrl` points at the workers registry.';
  }
  if (status >= 300 && status < 400) {
    return `The registry redirects${location ? ` to ${location}` : ''}; set \`apiUrl\` to the final address.`;
  }
  if (RETRIED_STATUSES.has(status)) {
    return 'The registry stayed unavailable; run publish-interface again later (collect-interface is cached, so only the publish repeats).';
  }
  if (status >= 500) {
    return 'The registry failed while handling the publish; it was not retried because it may have been applied. Check the registry before running again.';
  }
  return '';
}

const plural = (n: number) => `${n} attempt${n === 1 ? '' : 's'}`;

/**
 * Every error leaving this module passes here, so the key cannot escape through a message, a detail, or an
 * unexpected transport error (whose raw form is not kept as a cause).
 */
function scrubbed(error: unknown, secret: string): RegistryError {
  const clean = (text: string | undefined) => (text === undefined ? undefined : redactSecret(text, secret));
  if (error instanceof RegistryError) {
    const { url, status, body, attempts } = error.details;
    return new RegistryError(redactSecret(error.message, secret), { url: clean(url), status, body: clean(body), attempts });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RegistryError(redactSecret(`Publishing to the registry failed unexpectedly: ${message}`, secret));
}

/**
 * POSTs the payload to `{apiUrl}/publish`. Success is HTTP 200 only, as in the workflow. Network failures and
 * 502/503/504 are retried with exponential backoff; every other answer fails at once with the registry's body.
 */
export async function publishToRegistry(options: PublishOptions): Promise<PublishResult> {
  try {
    return await publishOnce(options, (line) => options.log?.(redactSecret(line, options.apiKey)));
  } catch (error) {
    throw scrubbed(error, options.apiKey);
  }
}

async function publishOnce(options: PublishOptions, log: (line: string) => void): Promise<PublishResult> {
  const secret = options.apiKey;
  const url = publishUrl(options.apiUrl);
  const shown = shownUrl(url);
  const apiKeyEnv = options.apiKeyEnv ?? DEFAULT_API_KEY_ENV;
  if (!secret || !secret.trim()) {
    throw new RegistryError(`No registry API key: set ${apiKeyEnv}. Nothing was sent to ${shown}.`, { url: shown, attempts: 0 });
  }

  const attempts = Math.max(1, Math.floor(options.retry?.attempts ?? DEFAULT_ATTEMPTS));
  const baseDelayMs = Math.max(0, options.retry?.baseDelayMs ?? DEFAULT_BASE_DELAY_MS);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // A private agent per publish: each retry gets a fresh connection, and nothing stays open afterwards.
  const agent = new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connect: { timeout: timeoutMs } });

  try {
    for (let attempt = 1; ; attempt++) {
      const retryDelay = baseDelayMs * 2 ** (attempt - 1);
      log(`POST ${shown} (attempt ${attempt}/${attempts})`);

      let status: number;
      let body: string;
      let location: string | undefined;
      try {
        const response = await request(url, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'x-api-key': secret, 'content-type': 'application/json' },
          body: options.payload,
        });
        status = response.statusCode;
        const header = response.headers.location;
        location = Array.isArray(header) ? header[0] : header;
        body = await response.body.text();
      } catch (error) {
        const reason = describeTransportError(error, timeoutMs);
        const transient = errorCodes(error).some((code) => TRANSIENT_CODES.has(code));
        if (transient && attempt < attempts) {
          log(`POST ${shown} failed: ${reason}; retrying in ${retryDelay} ms`);
          await sleep(retryDelay);
          continue;
        }
        throw new RegistryError(
          `POST ${shown} failed after ${plural(attempt)}: could not reach the registry (${reason}). ` +
            'Check `apiUrl` and the network, then run publish-interface again.',
          { url: shown, attempts: attempt },
        );
      }

      if (status === 200) {
        log(`POST ${shown}: the registry answered 200`);
        return { status, body, attempts: attempt };
      }
      if (RETRIED_STATUSES.has(status) && attempt < attempts) {
        log(`POST ${shown}: the registry answered ${status}; retrying in ${retryDelay} ms`);
        await sleep(retryDelay);
        continue;
      }
      const hint = statusHint(status, apiKeyEnv, location);
      throw new RegistryError(
        `POST ${shown} failed: the registry answered ${status}, expected 200 (after ${plural(attempt)}). ` +
          `Response: ${truncate(body)}${hint ? `\n${hint}` : ''}`,
        { url: shown, status, body: truncate(body), attempts: attempt },
      );
    }
  } finally {
    await agent.destroy();
  }
}
