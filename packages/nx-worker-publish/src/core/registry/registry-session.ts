import { redactSecret } from './redact-secret';
import { RegistryClient } from './registry-client';
import { RegistryError } from './registry-error';
import { DEFAULT_API_KEY_ENV } from './resolve-api-key';

export const DEFAULT_PUBLISH_TIMEOUT_SECONDS = 120;

export interface RegistrySessionOptions {
  apiUrl: string;
  /** Required unless dryRun; sent as `X-API-Key`, never printed. */
  apiKey?: string;
  apiKeyEnv?: string;
  dryRun?: boolean;
  /** Deadline of everything the session does (`publishTimeoutSeconds`). */
  timeoutMs?: number;
  requestTimeoutMs?: number;
  maxResponseBytes?: number;
  stopBeforeWrite?: () => string | undefined;
}

/**
 * Runs `work` with one registry client (its own connection pool, closed at the end, under one deadline). A key is
 * required unless dry run, and every error leaving here is a RegistryError with the key redacted in every encoding.
 */
export async function withRegistrySession<T>(options: RegistrySessionOptions, what: string, work: (client: RegistryClient) => Promise<T>): Promise<T> {
  const secret = options.apiKey;
  if (!options.dryRun && !secret?.trim()) {
    throw new RegistryError(`No registry API key: set ${options.apiKeyEnv ?? DEFAULT_API_KEY_ENV}. Nothing was sent to ${options.apiUrl}.`);
  }
  const client = new RegistryClient({
    apiUrl: options.apiUrl,
    apiKey: secret,
    deadline: Date.now() + (options.timeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_SECONDS * 1000),
    requestTimeoutMs: options.requestTimeoutMs,
    maxResponseBytes: options.maxResponseBytes,
    stopBeforeWrite: options.stopBeforeWrite,
  });
  try {
    return await work(client);
  } catch (error) {
    throw scrubbed(error, secret, what);
  } finally {
    await client.close();
  }
}

/** The key cannot escape through a message, a detail, or an unexpected error (whose raw form is not kept). */
function scrubbed(error: unknown, secret: string | undefined, what: string): RegistryError {
  const clean = (text: string | undefined) => (text === undefined ? undefined : redactSecret(text, secret));
  if (error instanceof RegistryError) {
    const { url, status, body, attempts } = error.details;
    return new RegistryError(redactSecret(error.message, secret), { url: clean(url), status, body: clean(body), attempts });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RegistryError(redactSecret(`${what} failed unexpectedly: ${message}`, secret));
}
